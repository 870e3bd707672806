// The course form (workspace): offer only the evaluation forms available in the chosen language and the country experts
// of the chosen country. Without this script every option is offered and the server refuses a wrong one in the API's words.
(function () {
  'use strict';
  var language = document.getElementById('language');
  var country = document.getElementById('countryCode');
  var expert = document.getElementById('countryExpertUserId');

  // On load a stored choice stays shown even if it no longer fits (the server says why on saving, nothing is lost
  // silently); after a change of language or country, a choice that does not fit is cleared.
  function keep(select, fits, changed) {
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var ok = fits(option) || (!changed && option.selected);
      option.hidden = !ok;
      option.disabled = !ok;
      if (!ok && option.selected) { select.value = ''; }
    });
  }

  function byLanguage(event) {
    var code = language ? language.value : '';
    document.querySelectorAll('select[data-by-language]').forEach(function (select) {
      keep(select, function (option) {
        return !code || (option.getAttribute('data-languages') || '').split(' ').indexOf(code) >= 0;
      }, !!event);
    });
  }

  function byCountry(event) {
    if (!expert) { return; }
    var code = country ? country.value : '';
    keep(expert, function (option) { return !code || option.getAttribute('data-country') === code; }, !!event);
  }

  if (language) { language.addEventListener('change', byLanguage); }
  if (country) { country.addEventListener('change', byCountry); }
  byLanguage();
  byCountry();
}());
