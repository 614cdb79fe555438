// The address block (balcao/core/forms.py AddressForm), enhanced: choosing a distrito lists
// its concelhos, choosing a concelho its freguesias, without the "Escolher distrito" round
// trip that the page uses without JavaScript. The options come from the select's
// data-options ({parent id: [[id, name], ...]}), written by the server.
(function () {
  "use strict";

  function link(parent, child) {
    var options = JSON.parse(child.getAttribute("data-options") || "{}");
    var empty = child.querySelector('option[value=""]');
    function fill() {
      var chosen = child.value;
      var list = options[parent.value] || [];
      while (child.firstChild) {
        child.removeChild(child.firstChild);
      }
      if (empty) {
        child.appendChild(empty);
      }
      list.forEach(function (item) {
        var option = document.createElement("option");
        option.value = String(item[0]);
        option.textContent = item[1];
        option.selected = option.value === chosen;
        child.appendChild(option);
      });
      child.dispatchEvent(new Event("change"));
    }
    parent.addEventListener("change", fill);
  }

  function enhance(form) {
    var district = form.querySelector('select[data-address="district"]');
    var municipality = form.querySelector('select[data-address="municipality"]');
    var parish = form.querySelector('select[data-address="parish"]');
    if (!district || !municipality || form.hasAttribute("data-address-enhanced")) {
      return;
    }
    form.setAttribute("data-address-enhanced", "");
    link(district, municipality);
    if (parish) {
      link(municipality, parish);
    }
    form.querySelectorAll('[data-address="choose-district"]').forEach(function (button) {
      button.remove();
    });
  }

  document.querySelectorAll("form").forEach(enhance);
})();
