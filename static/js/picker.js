/* The person picker: every <select data-picker> (dashboard/widgets.py) becomes a
 * searchable combobox following the WAI-ARIA combobox pattern (an input with
 * role=combobox, aria-expanded, aria-controls and aria-activedescendant, a listbox of
 * options). Keyboard: type to filter, ArrowDown/ArrowUp move, Enter chooses, Escape
 * closes. A multiple select shows the chosen people as chips, each with a remove button.
 * The select stays in the form (hidden) and is what is submitted: without this script
 * the page works with the plain select. Options beside each name: the verdict
 * (data-verdict) and the department (data-hint). A select with data-search holds only the
 * first people: typing asks that URL (dashboard/picker.py) for matches, debounced, and
 * says "N people found" / "No match" in the live status. */
(function () {
  "use strict";

  var SHOWN = 100; // options rendered at once; typing narrows the rest
  var DELAY = 250; // ms of quiet typing before a searchable picker asks the server
  var VERDICT_WORDS = { eligible: "eligible", transition: "transition", ineligible: "ineligible" };
  var serial = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function nameOf(option) {
    // The label may end with the ladder and verdict ("Ian (IC L3 S1) · eligible"): the
    // chip and the input show the name, the list shows the whole label.
    return option.text.split(" (")[0].split(" · ")[0];
  }

  function Picker(select) {
    serial += 1;
    var id = (select.id || "picker") + "-" + serial; // unique, even where two forms share a name
    var self = this;
    this.select = select;
    this.multiple = select.multiple;
    this.options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
    this.blank = Array.prototype.find.call(select.options, function (o) { return o.value === ""; });
    this.active = -1;
    this.matches = [];
    this.search = select.dataset.search || ""; // more people than options: ask the server
    this.asked = 0;

    var wrap = el("div", { "class": "picker" + (this.multiple ? " picker-many" : "") });
    this.chips = el("ul", { "class": "picker-chips", "aria-label": "Chosen" });
    this.input = el("input", {
      type: "text",
      id: id + "-search",
      "class": "picker-input",
      role: "combobox",
      autocomplete: "off",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": id + "-listbox",
      placeholder: this.multiple ? "Type a name to add" : "Type a name"
    });
    this.list = el("ul", { id: id + "-listbox", role: "listbox", "class": "picker-list", hidden: "" });
    this.status = el("p", { "class": "visually-hidden", role: "status" });
    // The label stays the select's (scripts and tests that choose through the select keep
    // working) and names the input too; a click on it goes to the input.
    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.id = label.id || id + "-label";
      this.input.setAttribute("aria-labelledby", label.id);
      this.list.setAttribute("aria-labelledby", label.id);
      var input = this.input;
      label.addEventListener("click", function (event) {
        event.preventDefault();
        input.focus();
      });
    }
    if (select.required) { // the input carries the requirement: a hidden select cannot
      select.required = false;
      this.input.required = true;
    }
    var described = select.getAttribute("aria-describedby");
    if (described) { this.input.setAttribute("aria-describedby", described); }
    if (select.getAttribute("aria-invalid")) { this.input.setAttribute("aria-invalid", "true"); }

    // Out of sight and of the tab order, still in the form (what is submitted).
    select.classList.add("visually-hidden");
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.addEventListener("change", function () { self.render(); });
    select.parentNode.insertBefore(wrap, select);
    if (this.multiple) { wrap.appendChild(this.chips); }
    wrap.appendChild(this.input);
    wrap.appendChild(this.list);
    wrap.appendChild(this.status);
    wrap.appendChild(select);
    this.bind();
    this.render();
  }

  Picker.prototype.bind = function () {
    var self = this;
    this.input.addEventListener("input", function () { self.open(); });
    this.input.addEventListener("click", function () { self.open(); });
    this.input.addEventListener("keydown", function (event) { self.key(event); });
    this.input.addEventListener("blur", function () {
      // A click on an option keeps the focus (mousedown is prevented), so blur is leaving.
      self.close();
      if (self.multiple) {
        self.input.value = ""; // the chips are untouched: a click on one may be under way
        return;
      }
      if (self.input.value.trim() === "" && self.blank) {
        self.blank.selected = true; // emptied: nobody (where the form allows it)
      }
      self.render();
    });
    this.list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.list.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) { self.choose(self.matches[Number(item.dataset.index)]); }
    });
    this.chips.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      var option = self.options[Number(button.dataset.index)];
      option.selected = false;
      self.changed();
      self.status.textContent = nameOf(option) + " removed.";
      self.input.focus();
    });
  };

  Picker.prototype.key = function (event) {
    var open = !this.list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) { this.open(); }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var count = this.matches.length;
      if (count) { this.move((this.active + step + count) % count); }
    } else if (event.key === "Enter") {
      if (open && this.active >= 0) {
        event.preventDefault(); // choose, do not submit the form
        this.choose(this.matches[this.active]);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        this.close();
      } else if (!this.multiple) {
        this.input.value = "";
      }
    } else if (event.key === "Backspace" && this.multiple && this.input.value === "") {
      var chosen = this.options.filter(function (o) { return o.selected; });
      if (chosen.length) {
        chosen[chosen.length - 1].selected = false;
        this.changed();
      }
    }
  };

  Picker.prototype.filter = function () {
    var words = this.input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    var multiple = this.multiple;
    var current = this.multiple ? "" : this.selectedText();
    if (!multiple && this.input.value === current) { words = []; }
    return this.options.filter(function (option) {
      if (multiple && option.selected) { return false; }
      var text = (option.text + " " + (option.dataset.hint || "")).toLowerCase();
      return words.every(function (word) { return text.indexOf(word) !== -1; });
    });
  };

  Picker.prototype.open = function () {
    var all = this.filter();
    var status = all.length === 0 ? "Nobody matches."
      : all.length + (all.length === 1 ? " person matches" : " people match")
        + (all.length > SHOWN ? "; the first " + SHOWN + " are listed, type more to narrow." : ".");
    if (this.search) { // the select holds the first people only: the server finds the rest
      status = this.query() ? "Searching…" : "The first people are listed; type to search.";
      this.lookup();
    }
    this.show(all.slice(0, SHOWN), status);
  };

  Picker.prototype.query = function () {
    var text = this.input.value.trim();
    return !this.multiple && this.input.value === this.selectedText() ? "" : text;
  };

  // Ask the select's data-search URL for the people matching what was typed (debounced);
  // each match becomes an option of the select (so the form posts it) and is listed.
  Picker.prototype.lookup = function () {
    var self = this;
    var query = this.query();
    clearTimeout(this.timer);
    if (!query) { return; }
    this.timer = setTimeout(function () {
      self.asked += 1;
      var asked = self.asked;
      fetch(self.search + "&q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) {
        if (asked !== self.asked || self.query() !== query || document.activeElement !== self.input) {
          return; // typed on, or left: a later answer (or none) is what counts
        }
        var options = data.results.map(function (match) { return self.optionFor(match); })
          .filter(function (option) { return !(self.multiple && option.selected); });
        self.show(options, options.length === 0 ? "No match."
          : options.length + (options.length === 1 ? " person found." : " people found."));
      }).catch(function () {
        if (asked === self.asked) { self.status.textContent = "The search failed; try again."; }
      });
    }, DELAY);
  };

  Picker.prototype.optionFor = function (match) {
    var value = String(match.id);
    var option = this.options.find(function (o) { return o.value === value; });
    if (!option) {
      option = new Option(match.label, value);
      if (match.verdict) { option.dataset.verdict = match.verdict; }
      if (match.hint) { option.dataset.hint = match.hint; }
      this.select.appendChild(option);
      this.options.push(option);
    }
    return option;
  };

  Picker.prototype.show = function (matches, status) {
    this.matches = matches;
    this.list.textContent = "";
    var self = this;
    matches.forEach(function (option, index) {
      var item = el("li", {
        id: self.list.id + "-" + index,
        role: "option",
        "class": "picker-option",
        "aria-selected": String(option.selected && !self.multiple)
      });
      item.dataset.index = index;
      var text = option.dataset.verdict ? option.text.replace(/ [·—] [A-Za-z]+$/, "") : option.text;
      item.appendChild(el("span", { "class": "picker-name" }, text));
      if (option.dataset.hint) {
        item.appendChild(el("span", { "class": "picker-hint" }, option.dataset.hint));
      }
      var verdict = option.dataset.verdict;
      if (verdict) {
        item.appendChild(el("span", { "class": "badge verdict-" + verdict }, VERDICT_WORDS[verdict] || verdict));
      }
      self.list.appendChild(item);
    });
    this.status.textContent = status;
    this.list.hidden = this.matches.length === 0;
    this.input.setAttribute("aria-expanded", String(!this.list.hidden));
    this.move(this.matches.length ? 0 : -1);
  };

  Picker.prototype.close = function () {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  Picker.prototype.move = function (index) {
    var items = this.list.querySelectorAll("[role=option]");
    if (this.active >= 0 && items[this.active]) { items[this.active].classList.remove("active"); }
    this.active = index;
    if (index < 0 || !items[index]) {
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    items[index].classList.add("active");
    this.input.setAttribute("aria-activedescendant", items[index].id);
    items[index].scrollIntoView({ block: "nearest" });
  };

  Picker.prototype.choose = function (option) {
    if (!option) { return; }
    option.selected = true;
    if (this.multiple) {
      this.input.value = "";
      this.changed();
      this.status.textContent = nameOf(option) + " added.";
      this.open();
    } else {
      this.changed();
      this.close();
    }
  };

  Picker.prototype.selectedText = function () {
    var option = this.select.selectedOptions[0];
    return option && option.value !== "" ? nameOf(option) : "";
  };

  Picker.prototype.changed = function () {
    this.select.dispatchEvent(new Event("change", { bubbles: true })); // renders
  };

  Picker.prototype.render = function () {
    if (!this.multiple) {
      this.input.value = this.selectedText();
      return;
    }
    this.chips.textContent = "";
    var self = this;
    this.options.forEach(function (option, index) {
      if (!option.selected) { return; }
      var chip = el("li", { "class": "picker-chip" });
      chip.appendChild(el("span", {}, nameOf(option)));
      var remove = el("button", { type: "button", "aria-label": "Remove " + nameOf(option) }, "×");
      remove.dataset.index = index;
      chip.appendChild(remove);
      self.chips.appendChild(chip);
    });
    this.chips.hidden = this.chips.children.length === 0;
  };

  function enhance() {
    document.querySelectorAll("select[data-picker]").forEach(function (select) {
      if (!select.dataset.enhanced) {
        select.dataset.enhanced = "true";
        new Picker(select); // eslint-disable-line no-new
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
}());
