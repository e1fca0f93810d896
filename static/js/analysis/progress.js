// While a slow analysis (the Knox test's permutations) runs in the request,
// the form shows that it is working and cannot be sent twice.
for (const form of document.querySelectorAll("form[data-progress]")) {
  if (!form.dataset.progress) continue;
  form.addEventListener("submit", () => {
    const progress = document.getElementById("analysis-progress");
    if (progress) progress.hidden = false;
    for (const button of form.querySelectorAll("button")) button.disabled = true;
    const result = document.getElementById("analysis-result");
    if (result) result.classList.add("stale");
  });
}
