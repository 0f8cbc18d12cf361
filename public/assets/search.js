// The public site's search: every word typed must appear in an entry's name or where it is. The index is
// search-index.js (window.WW_SEARCH: [name, what and where, page]), a script so that it also loads from disk.
// Results are built with textContent: a name from a source is text, never markup.
(function () {
  "use strict";
  var entries = (window.WW_SEARCH || []).map(function (e) {
    return { name: e[0], where: e[1], href: e[2], text: (e[0] + " " + e[1]).toLowerCase() };
  });
  var box = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var LIMIT = 100;

  function show() {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { count.textContent = entries.length + " places and agencies."; return; }
    var found = entries.filter(function (e) {
      return words.every(function (w) { return e.text.indexOf(w) !== -1; });
    });
    var typed = words.join(" ");
    found.sort(function (a, b) {  // names that start with what was typed first; the rest keep their order
      return (a.name.toLowerCase().indexOf(typed) === 0 ? 0 : 1) - (b.name.toLowerCase().indexOf(typed) === 0 ? 0 : 1);
    });
    count.textContent = found.length + (found.length === 1 ? " match" : " matches") +
      (found.length > LIMIT ? " (the first " + LIMIT + " shown)" : "") + ".";
    found.slice(0, LIMIT).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.href;
      link.textContent = e.name;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" · " + e.where));
      list.appendChild(item);
    });
  }

  box.addEventListener("input", show);
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { box.value = asked; }
  show();
})();
