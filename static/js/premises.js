// The premises form's pin: placed at the postcode's centre from the postcode
// table, then dragged to the door; its position fills the form's lon/lat.
const data = JSON.parse(document.getElementById("premises-map").textContent);
const lon = document.getElementById("id_lon");
const lat = document.getElementById("id_lat");
const postcode = document.getElementById("id_postcode");
const status = document.getElementById("pin-status");

window.addEventListener("map:init", (e) => {
  const map = e.detail.map;
  let marker = null;
  function place(lng, la, zoom) {
    lon.value = Number(lng).toFixed(6);
    lat.value = Number(la).toFixed(6);
    if (!marker) {
      marker = L.marker([la, lng], { draggable: true }).addTo(map);
      marker.on("dragend", () => {
        const p = marker.getLatLng();
        place(p.lng, p.lat);
        status.textContent = "Pin moved.";
      });
    } else {
      marker.setLatLng([la, lng]);
    }
    if (zoom) map.setView([la, lng], zoom, { animate: false });
  }
  if (data.point) place(Number(data.point[0]), Number(data.point[1]), 17);
  map.on("click", (ev) => {
    place(ev.latlng.lng, ev.latlng.lat);
    status.textContent = "Pin placed.";
  });
  postcode.addEventListener("change", async () => {
    if (!postcode.value.trim()) return;
    const url = `${data.postcodeUrl}?${new URLSearchParams({ postcode: postcode.value })}`;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (response.ok) {
      place(body.point[0], body.point[1], 17);
      status.textContent = "Placed at the postcode's centre: drag the pin to the entrance.";
      document.getElementById("premises-map-ready")?.remove();
      map.getContainer().dataset.pinned = "true";
    } else {
      status.textContent = body.detail;
    }
  });
});
