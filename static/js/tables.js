/* Narrow screens: a table reflows into one card per row instead of being cut or scrolled sideways
   (static/css/dgr.css, "Tables on a phone"). Each cell needs its column's heading beside it; this
   copies the heading's text into the cell's data-label, which the CSS shows with attr(). A template
   may set data-label itself (the script keeps it). Without this script the table simply scrolls in its
   .table-wrap, as before. A file of our own, so the strict CSP (script-src 'self') allows it. */
(function () {
  "use strict";

  function headings(table) {
    var row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var labels = [];
    if (!row) {
      return labels;
    }
    Array.prototype.forEach.call(row.cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i += 1) {
        labels.push(text);
      }
    });
    return labels;
  }

  function label(table) {
    var labels = headings(table);
    if (!labels.length) {
      return;
    }
    // Table semantics stay announced when the CSS turns the rows into blocks.
    table.setAttribute("role", "table");
    Array.prototype.forEach.call(table.rows, function (row) {
      row.setAttribute("role", "row");
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        var inHead = row.parentNode === table.tHead;
        if (cell.tagName === "TH") {
          cell.setAttribute("role", inHead || cell.scope === "col" ? "columnheader" : "rowheader");
        } else {
          cell.setAttribute("role", "cell");
        }
        if (!inHead && !cell.hasAttribute("data-label") && labels[column] && (cell.colSpan || 1) === 1) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
    table.classList.add("reflow");
  }

  function run() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap table"), label);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
