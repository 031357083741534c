// Which village a typed name means ("Muara Aloh", "muara aloh", "Ma. Aloh"), on the
// phone and without signal. A mirror of regions/names.py and regions/search.py:
// change both together (regions/tests/test_names.py runs the two on the same cases).
(function (root) {
  "use strict";
  var PREFIXES = ["provinsi", "prov", "kabupaten", "kab", "kota", "kecamatan", "kec",
    "desa", "kelurahan", "kel"];
  var OLD_SPELLING = [["oe", "u"], ["dj", "j"], ["tj", "c"], ["sj", "sy"], ["ch", "kh"]];
  var SHORT_FORMS = {
    ma: "muara", mra: "muara", tg: "tanjung", tj: "tanjung", tjg: "tanjung",
    sp: "simpang", spg: "simpang", sg: "sungai", sei: "sungai", kp: "kampung",
    kpg: "kampung", bt: "batu", tl: "teluk", tlk: "teluk", lb: "loa", pa: "pulau",
    p: "pulau",
  };
  var CODE = /^\s*(\d{2}\.\d{2}\.\d{2}\.\d{4})\b/;
  var EXACT = 3, SPELLING = 2, SHORT = 1;

  function fold(text) {
    return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function dropKindWords(words) {
    while (words.length > 1 && PREFIXES.indexOf(words[0]) >= 0) words = words.slice(1);
    return words;
  }
  function normalize(text) {
    return dropKindWords(fold(text).replace(/[^a-z0-9]+/g, " ").trim().split(/\s+/).filter(Boolean)).join(" ");
  }
  function skeleton(text) {
    var key = normalize(text).replace(/ /g, "");
    OLD_SPELLING.forEach(function (p) { key = key.split(p[0]).join(p[1]); });
    key = key.replace(/q/g, "k").replace(/x/g, "ks").replace(/v/g, "f").replace(/z/g, "s");
    return key.replace(/(.)\1+/g, "$1");
  }
  function words(text) {
    var found = [], re = /([a-z0-9]+)(\.?)/g, m, s = fold(text);
    while ((m = re.exec(s))) found.push([m[1], !!m[2]]);
    var kept = dropKindWords(found.map(function (w) { return w[0]; }));
    return found.slice(found.length - kept.length);
  }
  function isSubsequence(short, word) {
    var i = 0;
    for (var j = 0; j < word.length && i < short.length; j++) if (word[j] === short[i]) i++;
    return i === short.length;
  }
  function wordFits(typed, dotted, word) {
    if (skeleton(typed) === skeleton(word) || SHORT_FORMS[typed] === word) return true;
    return (dotted || typed.length <= 3) && typed.length < word.length &&
      typed[0] === word[0] && isSubsequence(typed, word);
  }
  function fit(text, name) {
    if (!normalize(text)) return 0;
    if (normalize(text) === normalize(name)) return EXACT;
    if (skeleton(text) === skeleton(name)) return SPELLING;
    var typed = words(text), ws = words(name).map(function (w) { return w[0]; });
    if (typed.length !== ws.length) return 0;
    for (var i = 0; i < ws.length; i++) if (!wordFits(typed[i][0], typed[i][1], ws[i])) return 0;
    return SHORT;
  }
  function best(text, places, key) {
    var scored = places.map(function (p) { return [fit(text, p[key] || ""), p]; });
    var top = scored.reduce(function (a, s) { return Math.max(a, s[0]); }, 0);
    return scored.filter(function (s) { return top && s[0] === top; }).map(function (s) { return s[1]; });
  }
  // places: [{kode, name, parent}]; returns {kode} for a written code, else {matches}.
  function resolve(text, places) {
    var code = CODE.exec(text || "");
    if (code) return { kode: code[1], matches: [] };
    var comma = (text || "").indexOf(",");
    var name = comma < 0 ? text : text.slice(0, comma);
    var district = comma < 0 ? "" : text.slice(comma + 1);
    var matches = best(name, places, "name");
    if (matches.length > 1 && normalize(district)) {
      var narrowed = best(district, matches, "parent");
      if (narrowed.length) matches = narrowed;
    }
    return { kode: null, matches: matches };
  }
  var api = { fold: fold, normalize: normalize, skeleton: skeleton, fit: fit, resolve: resolve };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.SimpulNames = api;
})(typeof self !== "undefined" ? self : this);
