// The menus of the main bar: one open at a time, closed by a click elsewhere
// or by Escape, as a menu bar behaves.
const menus = [...document.querySelectorAll("nav.mainnav details.navmenu")];

function closeAll(except) {
  for (const menu of menus) {
    if (menu !== except) menu.open = false;
  }
}

for (const menu of menus) {
  menu.addEventListener("toggle", () => {
    if (menu.open) closeAll(menu);
  });
}

document.addEventListener("click", (event) => {
  if (!event.target.closest("nav.mainnav details.navmenu")) closeAll(null);
});

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    const open = menus.find((menu) => menu.open);
    if (open) {
      open.open = false;
      open.querySelector("summary").focus();
    }
  }
});
