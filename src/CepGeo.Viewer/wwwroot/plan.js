// Plan mode (cepgeo view STUDY.json --plan): redraw the perimeters commune by commune, every operator's score
// recomputed by the server after each edit. Kept apart from app.js, which it only reads through window.cepgeo.
(function () {
  'use strict';
  var body = document.body;
  var token = null, state = null, study = null, map = null, unitLayer = null, lasso = null;
  var selection = new Set(), layerOf = {}, unitIndex = {}, mode = 'click', floor = 0, edits = 0;
  // ColorBrewer Set3 (12 qualitative classes): a perimeter's colour is its place in the plan.
  var PALETTE = ['#8dd3c7', '#ffffb3', '#bebada', '#fb8072', '#80b1d3', '#fdb462', '#b3de69', '#fccde5', '#d9d9d9', '#bc80bd', '#ccebc5', '#ffed6f'];

  var WORDS = {
    fr: {
      title: 'Scénario de découpage', click: 'Clic', rect: 'Rectangle', lasso: 'Lasso', selected: 'communes sélectionnées', clear: 'Vider',
      target: 'Périmètre', newp: '— nouveau périmètre —', name: 'Nom du nouveau périmètre', assign: 'Affecter la sélection', lock: 'Verrouiller ce périmètre',
      undo: 'Annuler', redo: 'Rétablir', floor: 'Plancher de population', save: 'Enregistrer (CSV)', load: 'Charger un scénario',
      geojson: 'Périmètres (GeoJSON)', studyfile: 'Étude prête (study.json)', perimeter: 'Périmètre', units: 'Communes', pop: 'Habitants',
      misfit: 'Désalignement', partners: 'Interlocuteurs', today: 'auj.', warnings: 'Alertes', split: 'en plusieurs morceaux', under: 'sous le plancher',
      alignment: 'Alignement', locked: 'verrouillé', refused: 'communes d\'un périmètre verrouillé non déplacées', moved: 'habitants changent de territoire',
      source: 'Départ', cells: 'territoires d\'aujourd\'hui'
    },
    en: {
      title: 'Redistricting plan', click: 'Click', rect: 'Rectangle', lasso: 'Lasso', selected: 'communes selected', clear: 'Clear',
      target: 'Perimeter', newp: '— new perimeter —', name: 'Name of the new perimeter', assign: 'Assign the selection', lock: 'Lock this perimeter',
      undo: 'Undo', redo: 'Redo', floor: 'Population floor', save: 'Save (CSV)', load: 'Load a plan',
      geojson: 'Perimeters (GeoJSON)', studyfile: 'Ready study (study.json)', perimeter: 'Perimeter', units: 'Communes', pop: 'People',
      misfit: 'Misfit', partners: 'Counterparts', today: 'today', warnings: 'Warnings', split: 'in several parts', under: 'under the floor',
      alignment: 'Alignment', locked: 'locked', refused: 'communes of a locked perimeter not moved', moved: 'people change area',
      source: 'Start', cells: 'today\'s cells'
    }
  };
  function lang() { return document.documentElement.lang === 'en' || document.getElementById('lang').textContent === 'FR' ? 'en' : 'fr'; }
  function w(key) { return WORDS[lang()][key]; }
  function num(x, digits) {
    if (x === null || x === undefined) return '—';
    return Number(x).toLocaleString(lang() === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits === undefined ? 0 : digits });
  }
  function esc(s) { return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function el(id) { return document.getElementById(id); }
  function operator() { return body.dataset.operator || (study.operators[0] && study.operators[0].key); }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.json();
    });
  }
  function post(path, payload, contentType) {
    body.dataset.plan = 'busy';
    return fetch('api/plan/' + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': contentType || 'application/json', 'X-CepGeo-Token': token },
      body: contentType ? payload : JSON.stringify(payload || {})
    }).then(function (r) {
      return r.json().then(function (j) { if (!r.ok) throw new Error(j.title || r.status); return j; });
    }).then(function (s) { show(s); return s; })
      .catch(function (e) { body.dataset.plan = 'ready'; el('plan-message').textContent = e.message; throw e; });
  }

  // ---- panel ---------------------------------------------------------------------------------------
  function buildPanel() {
    var section = document.createElement('section');
    section.id = 'plan';
    section.innerHTML =
      '<h2 id="plan-title"></h2><p id="plan-source" class="plan-note"></p>' +
      '<div class="plan-modes"><button type="button" data-mode="click"></button><button type="button" data-mode="rect"></button><button type="button" data-mode="lasso"></button></div>' +
      '<p><span id="plan-selected">0</span> <span id="plan-selected-label"></span> <button type="button" id="plan-clear"></button></p>' +
      '<label><span id="plan-target-label"></span> <select id="plan-target"></select></label>' +
      '<input id="plan-new-name" type="text" autocomplete="off">' +
      '<button type="button" id="plan-assign"></button>' +
      '<label class="plan-check"><input type="checkbox" id="plan-lock"> <span id="plan-lock-label"></span></label>' +
      '<div class="plan-history"><button type="button" id="plan-undo"></button><button type="button" id="plan-redo"></button></div>' +
      '<label><span id="plan-floor-label"></span> <input id="plan-floor" type="number" min="0" step="1000" value="0"></label>' +
      '<p id="plan-message" role="status" class="plan-note"></p>' +
      '<table id="plan-totals"></table>' +
      '<div class="plan-files"><a id="plan-save" href="api/plan/export/plan.csv" download="plan.csv"></a>' +
      '<label class="plan-file"><span id="plan-load-label"></span><input id="plan-load" type="file" accept=".csv,text/csv"></label>' +
      '<a id="plan-geojson" href="api/plan/export/perimeters.geojson" download="perimeters.geojson"></a>' +
      '<a id="plan-study" href="api/plan/export/study.json" download="study.json"></a></div>' +
      '<div class="plan-table-wrap"><table id="plan-table"></table></div>';
    var controls = el('controls');
    controls.insertBefore(section, controls.firstChild);
    section.querySelectorAll('[data-mode]').forEach(function (b) { b.addEventListener('click', function () { setMode(b.dataset.mode); }); });
    el('plan-clear').addEventListener('click', function () { selection.clear(); restyle(); });
    el('plan-assign').addEventListener('click', assign);
    el('plan-target').addEventListener('change', drawControls);
    el('plan-lock').addEventListener('change', function () {
      var id = el('plan-target').value;
      if (id) post('lock', { perimeter: id, locked: el('plan-lock').checked });
    });
    el('plan-undo').addEventListener('click', function () { post('undo'); });
    el('plan-redo').addEventListener('click', function () { post('redo'); });
    el('plan-floor').addEventListener('input', function () { floor = Number(el('plan-floor').value) || 0; drawTable(); });
    el('plan-load').addEventListener('change', function () {
      var file = el('plan-load').files[0];
      if (!file) return;
      file.text().then(function (text) { return post('load?name=' + encodeURIComponent(file.name), text, 'text/csv'); })
        .then(function () { selection.clear(); restyle(); });
      el('plan-load').value = '';
    });
    document.getElementById('operator').addEventListener('change', drawTable);
    document.getElementById('lang').addEventListener('click', function () { setTimeout(words, 0); });
    words();
  }

  function words() {
    el('plan-title').textContent = w('title');
    document.querySelectorAll('#plan [data-mode]').forEach(function (b) { b.textContent = w(b.dataset.mode); });
    el('plan-selected-label').textContent = w('selected');
    el('plan-clear').textContent = w('clear');
    el('plan-target-label').textContent = w('target');
    el('plan-new-name').placeholder = w('name');
    el('plan-assign').textContent = w('assign');
    el('plan-lock-label').textContent = w('lock');
    el('plan-undo').textContent = w('undo');
    el('plan-redo').textContent = w('redo');
    el('plan-floor-label').textContent = w('floor');
    el('plan-save').textContent = w('save');
    el('plan-load-label').textContent = w('load');
    el('plan-geojson').textContent = w('geojson');
    el('plan-study').textContent = w('studyfile');
    if (state) show(state);
  }

  function setMode(m) {
    mode = m;
    body.dataset.planMode = m;
    document.querySelectorAll('#plan [data-mode]').forEach(function (b) { b.classList.toggle('active', b.dataset.mode === m); });
    if (m === 'click') map.dragging.enable(); else map.dragging.disable();
    if (m === 'lasso') lasso.enable(); else lasso.disable();
  }

  // ---- edits ---------------------------------------------------------------------------------------
  function assign() {
    var target = el('plan-target').value;
    var ids = Array.from(selection);
    if (!ids.length) return Promise.resolve(null);
    var payload = target === '' ? { units: ids, 'new': true, name: el('plan-new-name').value } : { units: ids, perimeter: target };
    return post('assign', payload).then(function (s) {
      var refused = s.edit && s.edit.refused.length ? s.edit.refused.length + ' ' + w('refused') : '';
      el('plan-message').textContent = refused;
      if (s.edit && s.edit.perimeter) el('plan-target').value = s.edit.perimeter;
      selection.clear();
      restyle();
      drawControls();
      return s;
    });
  }

  function show(s) {
    var keepToken = token;
    state = s;
    token = s.token || keepToken;
    edits++;
    drawControls();
    drawTable();
    restyle();
    body.dataset.planEdits = String(edits);
    body.dataset.plan = 'ready';
  }

  function drawControls() {
    var select = el('plan-target'), current = select.value;
    select.innerHTML = state.perimeters.map(function (p) {
      return '<option value="' + esc(p.id) + '">' + esc(p.name) + (p.locked ? ' (' + w('locked') + ')' : '') + '</option>';
    }).join('') + '<option value="">' + esc(w('newp')) + '</option>';
    if (state.perimeters.some(function (p) { return p.id === current; }) || current === '') select.value = current;
    var p = state.perimeters.find(function (x) { return x.id === select.value; });
    el('plan-lock').checked = !!(p && p.locked);
    el('plan-lock').disabled = !p;
    el('plan-new-name').hidden = select.value !== '';
    el('plan-undo').disabled = !state.can_undo;
    el('plan-redo').disabled = !state.can_redo;
    el('plan-selected').textContent = String(selection.size);
    el('plan-source').textContent = w('source') + ' : ' + (state.source === 'cells' ? w('cells') : state.source);
  }

  function warningsOf(p) {
    var list = [];
    if (p.units > 0 && !p.contiguous) list.push(w('split') + ' (' + p.parts + ')');
    if (p.units > 0 && floor > 0 && p.pop !== null && p.pop < floor) list.push(w('under'));
    return list;
  }

  function arrow(before, after, digits) {
    return (before === null || before === undefined ? '—' : num(before, digits)) + ' → ' + num(after, digits);
  }

  function drawTable() {
    if (!state) return;
    var op = operator();
    var t = state.totals;
    el('plan-totals').innerHTML = '<tr><th></th><th>' + esc(w('alignment')) + ' (' + esc(w('today')) + ' → )</th></tr>' +
      study.operators.map(function (o) {
        var x = t[o.key];
        return '<tr data-operator="' + esc(o.key) + '" data-alignment="' + x.alignment + '"><td>' + esc(o.label) + '</td><td>' +
          arrow(x.today.alignment, x.alignment, 3) + (x.pop_alignment !== null ? ' (' + arrow(x.today.pop_alignment, x.pop_alignment, 3) + ')' : '') + '</td></tr>';
      }).join('');
    var moved = state.perimeters.reduce(function (a, p) { return a + (p.moved_pop || 0); }, 0);
    var rows = state.perimeters.filter(function (p) { return p.units > 0; }).map(function (p) {
      var o = p.ops[op], warn = warningsOf(p), before = o.today;
      var dpop = before && before.pop !== null && p.pop !== null ? p.pop - before.pop : null;
      return '<tr data-perimeter="' + esc(p.id) + '" data-misfit="' + o.misfit + '" data-pop-misfit="' + o.pop_misfit + '" data-partners="' + o.partners +
        '" data-pop="' + p.pop + '" data-warnings="' + warn.length + '"' + (warn.length ? ' class="plan-warn"' : '') + '>' +
        '<td>' + esc(p.name) + (p.locked ? ' 🔒' : '') + '</td><td>' + p.units + '</td>' +
        '<td>' + num(p.pop) + (dpop ? ' (' + (dpop > 0 ? '+' : '') + num(dpop) + ')' : '') + '</td>' +
        '<td>' + arrow(before && before.misfit, o.misfit, 3) + '</td>' +
        '<td>' + arrow(before && before.partners, o.partners) + '</td>' +
        '<td>' + esc(warn.join(', ')) + '</td></tr>';
    });
    el('plan-table').innerHTML = '<tr><th>' + esc(w('perimeter')) + '</th><th>' + esc(w('units')) + '</th><th>' + esc(w('pop')) + '</th><th>' +
      esc(w('misfit')) + '</th><th>' + esc(w('partners')) + '</th><th>' + esc(w('warnings')) + '</th></tr>' + rows.join('') +
      '<tr class="plan-sum"><td colspan="6">' + num(moved) + ' ' + esc(w('moved')) + '</td></tr>';
  }

  // ---- map -----------------------------------------------------------------------------------------
  function colourOf(u) {
    var p = state.assign[u];
    return p < 0 ? '#ffffff' : PALETTE[p % PALETTE.length];
  }
  function restyle() {
    if (!unitLayer || !state) return;
    unitLayer.eachLayer(function (l) {
      var u = l.feature.properties.u, sel = selection.has(l.feature.properties.id);
      l.setStyle({ fillColor: colourOf(u), fillOpacity: sel ? 0.85 : 0.55, color: sel ? '#000000' : '#555555', weight: sel ? 2.5 : 0.5 });
    });
    el('plan-selected').textContent = String(selection.size);
    body.dataset.planSelected = Array.from(selection).sort().join(',');
  }
  function toggle(id, add) {
    if (!add) { var had = selection.has(id) && selection.size === 1; selection.clear(); if (had) { restyle(); return; } }
    if (selection.has(id)) selection.delete(id); else selection.add(id);
    restyle();
  }
  function selectIn(test) {
    unitLayer.eachLayer(function (l) { if (test(l)) selection.add(l.feature.properties.id); });
    restyle();
  }

  function rectangleMode() {
    var start = null, box = null;
    map.on('mousedown', function (e) {
      if (mode !== 'rect') return;
      start = e.latlng;
      box = L.rectangle([start, start], { color: '#000', weight: 1, dashArray: '4 3', fill: false, interactive: false, pane: 'plan' }).addTo(map);
    });
    map.on('mousemove', function (e) { if (box) box.setBounds([start, e.latlng]); });
    map.on('mouseup', function () {
      if (!box) return;
      var b = box.getBounds();
      map.removeLayer(box);
      box = null;
      selectIn(function (l) { return b.contains(l.getBounds().getCenter()); });
    });
  }

  function start(s) {
    study = s;
    map = window.cepgeo.map();
    map.createPane('plan').style.zIndex = 450;
    lasso = L.lasso(map, { intersect: false });
    map.on('lasso.finished', function (e) {
      e.layers.forEach(function (l) { if (l.feature && l.feature.properties.u !== undefined) selection.add(l.feature.properties.id); });
      restyle();
      setMode('click');
    });
    buildPanel();
    Promise.all([getJson('api/plan/units'), getJson('api/plan/state')]).then(function (res) {
      unitLayer = L.geoJSON(res[0], {
        pane: 'plan',
        onEachFeature: function (f, l) {
          layerOf[f.properties.id] = l;
          unitIndex[f.properties.id] = f.properties.u;
          l.on('click', function (e) { if (mode === 'click') toggle(f.properties.id, e.originalEvent.shiftKey || e.originalEvent.ctrlKey); });
          l.bindTooltip(function () {
            var p = state.perimeters[state.assign[f.properties.u]];
            return esc(f.properties.name) + ' (' + esc(f.properties.id) + ')' + (p ? ' — ' + esc(p.name) : '');
          }, { sticky: true });
        }
      }).addTo(map);
      rectangleMode();
      map.invalidateSize();
      show(res[1]);
      setMode('click');
      body.dataset.planStatus = 'ready';
    }).catch(function (e) { body.dataset.planStatus = 'error'; el('plan-message').textContent = e.message; });
  }

  // Published for scripts and tests: the state as the page holds it, and selection by commune code.
  window.cepgeoPlan = {
    state: function () { return state; },
    select: function (ids) { selection = new Set(ids); restyle(); },
    unitLatLng: function (id) { var l = layerOf[id]; var c = l && l.getBounds().getCenter(); return c ? [c.lng, c.lat] : null; }
  };

  getJson('api/study').then(function (s) {
    if (!s.plan) return;
    body.dataset.planStatus = 'loading';
    // leaflet-lasso is loaded in plan mode only: it injects two small style sheets, which the plan mode's
    // Content-Security-Policy allows by their hashes (ViewerSecurity.LassoStyleHashes).
    var script = document.createElement('script');
    script.src = 'lib/leaflet-lasso.js';
    script.onload = function wait() { if (body.dataset.status === 'ready') start(s); else setTimeout(wait, 50); };
    document.head.appendChild(script);
  });
})();
