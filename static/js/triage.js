// The triage page: the record's point on a small map, its pin dragged to
// correct it (the grade form sends the corrected point).
const data = JSON.parse(document.getElementById("triage-map").textContent);

window.addEventListener("map:init", (e) => {
  const map = e.detail.map;
  const lon = document.getElementById("id_grade-lon");
  const lat = document.getElementById("id_grade-lat");
  const start = lon && lon.value ? [Number(lat.value), Number(lon.value)] : [data.point[1], data.point[0]];
  const marker = L.marker(start, { draggable: Boolean(lon), title: "The record's point" }).addTo(map);
  map.setView(start, 17, { animate: false });
  if (!lon) return;
  const move = (ll) => {
    marker.setLatLng(ll);
    lon.value = ll.lng.toFixed(6);
    lat.value = ll.lat.toFixed(6);
  };
  marker.on("dragend", () => move(marker.getLatLng()));
  map.on("click", (ev) => move(ev.latlng));
});
