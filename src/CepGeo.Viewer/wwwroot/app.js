// CepGeo viewer. Everything comes from this server's read-only /api; no other host is ever contacted
// unless the user passed --tiles. The page publishes its state on <body data-*> for people who script
// it (and for the browser tests), so nobody has to read Leaflet's SVG.
(function () {
  'use strict';

  var T = {
    fr: {
      search: 'Chercher une cellule ou une zone…', layers: 'Couches', colour: 'Couleur des cellules', metric: 'Indicateur',
      operator: 'Opérateur', weight: 'Pondération', worst: 'Cellules les moins alignées', export: 'Exporter', png: 'Carte (PNG)',
      m_misfit: 'Désalignement', m_coverage: 'Couverture', m_partners: 'Partenaires', m_dominant_share: 'Part de la zone principale',
      w_area: 'Surface', w_pop: 'Population', cells: 'Cellules', gap: 'Lacunes (zones non couvertes)',
      double_coverage: 'Doubles couvertures', straddle: 'Chevauchements (zones à cheval)', zone: 'Zone', share_area: 'part surface',
      share_pop: 'part pop.', gap_row: 'Lacune', double_row: 'Double couverture', misfit_row: 'Désalignement', area: 'Surface',
      population: 'Population', partners_of: 'partenaires', partner_of: 'partenaire', cells_touched: 'Cellules touchées', share_of_zone: 'part de la zone',
      zoom: 'zoomer', no_data: 'sans données', loading: 'Chargement…', ready: 'Prêt', error: 'Erreur', no_zones:
      'Les zones des opérateurs ne sont pas dans un dossier de résultats : ouvrez l’étude pour les voir.',
      pop_na: 'sans population : surface utilisée', km2: 'km²', cell: 'Cellule', outside: 'hors zone',
      design: 'Proposition', design_title: 'Périmètres proposés', perimeters: 'périmètres', cells_before: 'cellules aujourd’hui',
      misfit_before_after: 'Désalignement (km²) aujourd’hui → proposé', before: 'aujourd’hui', after: 'proposé',
      from_cell: 'issu de la cellule', fitted: 'ajusté'
    },
    en: {
      search: 'Find a cell or a zone…', layers: 'Layers', colour: 'Cell colour', metric: 'Metric', operator: 'Operator',
      weight: 'Weighting', worst: 'Worst cells first', export: 'Export', png: 'Map (PNG)', m_misfit: 'Misfit',
      m_coverage: 'Coverage', m_partners: 'Partners', m_dominant_share: 'Dominant zone share', w_area: 'Area',
      w_pop: 'Population', cells: 'Cells', gap: 'Gaps (not covered)', double_coverage: 'Double coverage',
      straddle: 'Straddles (zones across the boundary)', zone: 'Zone', share_area: 'area share', share_pop: 'pop. share',
      gap_row: 'Gap', double_row: 'Double coverage', misfit_row: 'Misfit', area: 'Area', population: 'Population',
      partners_of: 'partners', partner_of: 'partner', cells_touched: 'Cells touched', share_of_zone: 'share of zone', zoom: 'zoom',
      no_data: 'no data', loading: 'Loading…', ready: 'Ready', error: 'Error',
      no_zones: 'Operator zones are not in a results folder: open the study to see them.',
      pop_na: 'no population: area used', km2: 'km²', cell: 'Cell', outside: 'outside',
      design: 'Proposal', design_title: 'Proposed perimeters', perimeters: 'perimeters', cells_before: 'cells today',
      misfit_before_after: 'Misfit (km²) today → proposed', before: 'today', after: 'proposed',
      from_cell: 'from cell', fitted: 'fitted'
    }
  };
  // Classes, colours and words are not defined here: they come from /api/style, the one definition the
  // static maps and the report use too (PlannerStyle in CepGeo.Core), and are filled in by useStyle().
  var STYLE = null, OPERATOR_COLOURS = [], DESIGN_COLOUR = '', CLASS_COLOURS = [], NO_DATA = '';
  var METRICS = {
    // pop: the column of the population-weighted variant; scale: the style's classes (set by useStyle).
    misfit: { pop: 'pop_misfit', scale: null },
    coverage: { pop: 'pop_coverage', scale: null },
    partners: { pop: null, scale: null },
    dominant_share: { pop: null, scale: null }
  };
  // The viewer's words that are the glossary's: key here → key of the style's words.
  var STYLE_WORDS = {
    gap: 'gap', double_coverage: 'double_coverage', straddle: 'straddle', outside: 'outside', gap_row: 'gap',
    double_row: 'double_coverage', misfit_row: 'misfit', m_misfit: 'misfit', m_coverage: 'coverage', m_partners: 'partners',
    m_dominant_share: 'dominant_share', no_data: 'no_data', cells: 'cells', cell: 'cell', zone: 'zone'
  };
  function useStyle(style) {
    STYLE = style;
    OPERATOR_COLOURS = style.operator_colors; DESIGN_COLOUR = style.proposal_color;
    CLASS_COLOURS = style.palette; NO_DATA = style.no_data;
    Object.keys(METRICS).forEach(function (m) { METRICS[m].scale = style.scales[m]; });
    Object.keys(STYLE_WORDS).forEach(function (k) {
      var w = style.words[STYLE_WORDS[k]];
      T.fr[k] = w.fr; T.en[k] = w.en;
    });
  }

  var body = document.body;
  var started = performance.now();
  var lang = 'fr';
  var study = null, cellRows = [], pairRows = [], zoneRows = [];
  var layers = {};            // key → { info, geojson, leaflet, visible }
  var byId = {};              // 'cells:ID' or 'zones-op:ID' → Leaflet feature layer
  var selected = null;        // { type: 'cell'|'zone', key, id }
  var selectedLayer = null;   // the selected cell's Leaflet layer, outlined until another is chosen
  var map, hatch;

  function t(k) { return (T[lang] && T[lang][k]) || k; }
  function fmt(x, digits) {
    if (x === null || x === undefined) return '—';
    return Number(x).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function pct(x) { return x === null || x === undefined ? '—' : fmt(100 * x, 1) + ' %'; }
  function esc(s) { return String(s === null || s === undefined ? '' : s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  // The Content-Security-Policy forbids style attributes in markup; styles computed here (palette
  // colours) are written as data-style and applied through the CSSOM, which the policy allows.
  function applyStyles(root) {
    root.querySelectorAll('[data-style]').forEach(function (el) { el.style.cssText = el.dataset.style; el.removeAttribute('data-style'); });
  }
  function setStatus(s) { body.dataset.status = s; document.getElementById('status').textContent = t(s); }
  function getJson(url) { return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ': ' + r.status); return r.json(); }); }

  function layerLabel(info) {
    if (info.kind === 'cells') return info.label || t('cells');
    if (info.kind === 'defects') return t(info.operator);
    if (info.kind === 'design') return t('design') + ' : ' + info.operator;
    return info.label;
  }
  function operatorColour(op) {
    var i = study.operators.findIndex(function (o) { return o.key === op; });
    return OPERATOR_COLOURS[(i < 0 ? 0 : i) % OPERATOR_COLOURS.length];
  }
  function operatorLabel(op) {
    var o = study.operators.find(function (x) { return x.key === op; });
    return o ? o.label : op;
  }

  // ---- colour of a cell --------------------------------------------------------------------------
  function metricColumn() {
    var m = METRICS[body.dataset.metric];
    return body.dataset.weight === 'pop' && m.pop && study.weights ? m.pop : body.dataset.metric;
  }
  function cellMetric(cellId, op) {
    return cellRows.find(function (r) { return r.cell_layer === 'cells' && r.cell_id === cellId && r.operator === op; });
  }
  // The colour index of a value (0 = lightest = no problem), or -1 without a value. A bound belongs to
  // the class above it (PlannerStyle's rule): class i holds breaks[i-1] <= v < breaks[i].
  function classIn(metric, v) {
    var s = METRICS[metric].scale;
    if (v === null || v === undefined || isNaN(v)) return -1;
    var c = 0;
    while (c < s.breaks.length && v >= s.breaks[c]) c++;
    return s.high_is_bad ? c : s.breaks.length - c;
  }
  function classOf(v) { return classIn(body.dataset.metric, v); }
  function fillOf(cellId) {
    var row = cellMetric(cellId, body.dataset.operator);
    var c = classOf(row ? row[metricColumn()] : null);
    return c < 0 ? NO_DATA : CLASS_COLOURS[c];
  }
  function badness(row) {
    var v = row[metricColumn()];
    if (v === null || v === undefined) return -Infinity;
    return METRICS[body.dataset.metric].scale.high_is_bad ? v : -v;
  }

  function recolour() {
    var fills = {};
    var cells = layers.cells;
    if (cells) cells.leaflet.eachLayer(function (l) {
      var id = l.feature.properties.id;
      fills[id] = fillOf(id);
      l.setStyle({ fillColor: fills[id] });
    });
    body.dataset.cellFills = JSON.stringify(fills);
    drawLegend();
    drawWorst();
  }

  function drawLegend() {
    var m = METRICS[body.dataset.metric], b = m.scale.breaks, el = document.getElementById('legend');
    var isCount = body.dataset.metric === 'partners';
    var f = function (x) { return isCount ? fmt(x, 0) : pct(x); };
    var labels = [];
    // Lower bounds included: '< 5 %', '5 % – 15 %' (5 % in, 15 % out), …, '≥ 50 %'; ordered light to dark.
    if (isCount) labels = ['≤ ' + fmt(b[0] - 1, 0)].concat(b.slice(1).map(function (x, i) { return x - b[i] === 1 ? fmt(b[i], 0) : fmt(b[i], 0) + '–' + fmt(x - 1, 0); }), [fmt(b[b.length - 1], 0) + '+']);
    else labels = ['< ' + f(b[0])].concat(b.slice(1).map(function (x, i) { return f(b[i]) + ' – ' + f(x); }), ['≥ ' + f(b[b.length - 1])]);
    if (!m.scale.high_is_bad) labels.reverse();
    var note = body.dataset.weight === 'pop' && (!m.pop || !study.weights) ? '<div><em>' + t('pop_na') + '</em></div>' : '';
    el.innerHTML = labels.map(function (s, i) {
      return '<div><span class="swatch" data-style="background:' + CLASS_COLOURS[i] + '"></span>' + esc(s) + '</div>';
    }).join('') + '<div><span class="swatch" data-style="background:' + NO_DATA + '"></span>' + t('no_data') + '</div>' + note;
    applyStyles(el);
    body.dataset.legend = Array.prototype.map.call(el.querySelectorAll('div'), function (d) { return d.textContent; }).join(' | ');
  }

  function drawWorst() {
    var rows = cellRows.filter(function (r) { return r.cell_layer === 'cells' && r.operator === body.dataset.operator; })
      .sort(function (a, b) { return badness(b) - badness(a); }).slice(0, 10);
    var col = metricColumn(), isCount = body.dataset.metric === 'partners';
    document.getElementById('worst').innerHTML = rows.map(function (r) {
      return '<li data-cell-id="' + esc(r.cell_id) + '">' + esc(r.cell_name) + ' — ' + (isCount ? fmt(r[col], 0) : pct(r[col])) + '</li>';
    }).join('');
  }

  // ---- layers ------------------------------------------------------------------------------------
  function styleFor(info) {
    if (info.kind === 'cells') return function () { return { color: '#333', weight: 2, fillOpacity: 0.75, fillColor: '#ddd' }; };
    // Proposed perimeters: a thick solid line of their own colour, over the cells and the zones, so
    // that today's cells (thin, dark) and the proposal read side by side.
    if (info.kind === 'design') return function () { return { color: DESIGN_COLOUR, weight: 4, opacity: 0.85, fill: false }; };
    if (info.kind === 'zones') {
      var c = operatorColour(info.operator);
      return function () { return { color: c, weight: 2, dashArray: '6 4', fill: false }; };
    }
    var d = STYLE.defects[info.operator];
    if (info.operator === 'gap') return function () { return { color: d.color, weight: 1, fillColor: 'url(#hatch-gap)', fillOpacity: 1 }; };
    if (info.operator === 'double_coverage') return function () { return { color: d.color, weight: 1, fillColor: d.color, fillOpacity: 0.45 }; };
    // Straddles are many (151 in PACA) and cover much of the map: an outline only, so that the
    // choropleth stays readable under them.
    return function () { return { color: d.color, weight: 1.5, dashArray: '2 3', fill: false }; };
  }

  function addLayer(info, geojson) {
    var entry = { info: info, geojson: geojson, visible: false };
    var baseStyle = styleFor(info);
    entry.leaflet = L.geoJSON(geojson, {
      style: baseStyle,
      pane: info.kind === 'cells' ? 'cells' : info.kind === 'zones' ? 'zones' : info.kind === 'design' ? 'design' : 'defects',
      // Defects share the renderer that holds the gap hatching pattern.
      renderer: info.kind === 'defects' ? hatch : undefined,
      onEachFeature: function (feature, l) {
        var p = feature.properties;
        if (info.kind === 'design') {
          byId[info.key + ':' + p.id] = l;
          l.bindTooltip(function () { return esc(designTip(p)); }, { sticky: true });
          l.on('mouseover', function () { l.setStyle({ weight: 6 }); body.dataset.hover = p.name; });
          l.on('mouseout', function () { l.setStyle({ weight: 4 }); delete body.dataset.hover; });
          return;
        }
        var name = info.kind === 'defects'
          ? t(p.kind) + ' — ' + operatorLabel(p.operator) + ' — ' + (p.cell_name || '') + ' (' + fmt(p.area_km2, 3) + ' ' + t('km2') + ')'
          : (info.kind === 'zones' ? operatorLabel(info.operator) + ' : ' : '') + p.name;
        l.bindTooltip(esc(name), { sticky: true });
        byId[info.key + ':' + p.id] = l;
        l.on('mouseover', function () { l.setStyle({ weight: 4 }); l.bringToFront(); body.dataset.hover = name; });
        l.on('mouseout', function () { l.setStyle({ weight: l === selectedLayer ? 4 : baseStyle().weight }); delete body.dataset.hover; });
        if (info.kind === 'cells') l.on('click', function () { selectCell(p.id, false); });
        if (info.kind === 'zones') l.on('click', function () { selectZone(info.operator, p.id, false); });
      }
    });
    layers[info.key] = entry;
  }

  function setVisible(key, visible) {
    var e = layers[key];
    if (!e || e.visible === visible) return;
    e.visible = visible;
    if (visible) e.leaflet.addTo(map); else map.removeLayer(e.leaflet);
    var box = document.querySelector('#layer-list input[data-layer="' + key + '"]');
    if (box) box.checked = visible;
    publishLayers();
  }

  function publishLayers() {
    var keys = Object.keys(layers);
    body.dataset.loadedLayers = keys.join(',');
    body.dataset.visibleLayers = keys.filter(function (k) { return layers[k].visible; }).join(',');
    var counts = {};
    keys.forEach(function (k) { counts[k] = layers[k].leaflet.getLayers().length; });
    body.dataset.layerCounts = JSON.stringify(counts);
  }

  function drawLayerList() {
    var list = document.getElementById('layer-list');
    list.innerHTML = '';
    study.layers.forEach(function (info) {
      var e = layers[info.key];
      if (!e) return;
      var s = styleFor(info)();
      var swatch = info.kind === 'design' ? 'background:#fff;border:3px solid ' + s.color
        : s.fill === false
        ? 'background:#fff;border:2px ' + (s.dashArray === '2 3' ? 'dotted ' : 'dashed ') + s.color
        : info.operator === 'gap' ? 'background:repeating-linear-gradient(45deg,' + s.color + ' 0 2px,#fff 2px 5px)'
        : 'background:' + (s.fillColor && s.fillColor.indexOf('url') !== 0 ? s.fillColor : '#fff') + ';border-color:' + s.color;
      var li = document.createElement('li');
      li.innerHTML = '<input type="checkbox" id="layer-' + esc(info.key) + '" data-layer="' + esc(info.key) + '"' + (e.visible ? ' checked' : '') + '>' +
        '<span class="swatch" data-style="' + esc(swatch) + '"></span><label for="layer-' + esc(info.key) + '">' + esc(layerLabel(info)) + ' (' + info.count + ')</label>';
      applyStyles(li);
      list.appendChild(li);
    });
    if (study.source === 'results') {
      var note = document.createElement('li');
      note.innerHTML = '<em>' + esc(t('no_zones')) + '</em>';
      list.appendChild(note);
    }
  }

  // ---- design proposal ---------------------------------------------------------------------------
  function designTip(p) {
    var op = body.dataset.operator;
    return t('design') + ' — ' + p.name + ' (' + t('from_cell') + ' ' + (p.before_cell || '—') + ') — ' + operatorLabel(op) + ' : ' +
      t('m_misfit').toLowerCase() + ' ' + pct(p[op + '_misfit_before']) + ' → ' + pct(p[op + '_misfit']);
  }
  function drawDesignLegend() {
    var el = document.getElementById('design-legend');
    var d = study.design;
    el.hidden = !d;
    if (!d) return;
    var fitted = d.operators || [];
    var rows = study.operators.map(function (o) {
      var tot = d.totals && d.totals[o.key];
      if (!tot) return '';
      return '<tr data-operator="' + esc(o.key) + '"><td>' + esc(o.label) + (fitted.indexOf(o.key) >= 0 ? ' *' : '') + '</td><td>' +
        esc(fmt(tot.misfit_km2_before, 1)) + ' → ' + esc(fmt(tot.misfit_km2_after, 1)) + '</td></tr>';
    }).join('');
    el.innerHTML = '<h2>' + esc(t('design_title')) + '</h2>' +
      '<div class="design-key"><span class="swatch swatch-design"></span>' + esc(d.kind) + ' — ' + esc(d.perimeters) + ' ' + esc(t('perimeters')) +
      (d.cells_before ? ' (' + esc(d.cells_before) + ' ' + esc(t('cells_before')) + ')' : '') + '</div>' +
      '<table><tr><th></th><th>' + esc(t('misfit_before_after')) + '</th></tr>' + rows + '</table>' +
      (fitted.length ? '<div class="note">* ' + esc(t('fitted')) + '</div>' : '') +
      '<div class="note">' + esc(d.method || '') + '</div>';
  }

  // ---- selection -----------------------------------------------------------------------------------
  function zoneName(op, id) {
    var z = zoneRows.find(function (r) { return r.operator === op && r.zone_id === id && r.cell_layer === 'cells'; });
    return z ? z.zone_name : id;
  }
  function cellName(id) {
    var f = byId['cells:' + id];
    return f ? f.feature.properties.name : id;
  }

  function highlight(l) {
    if (!l) return;
    var old = l.options.color;
    l.setStyle({ color: '#00bcd4', weight: 5 });
    setTimeout(function () { l.setStyle({ color: old, weight: 2 }); }, 1500);
  }

  function selectCell(id, zoom) {
    selected = { type: 'cell', id: id };
    body.dataset.selectedCell = id;
    delete body.dataset.selectedZone;
    var f = byId['cells:' + id];
    outlineSelected(f);
    if (f && zoom) map.fitBounds(f.getBounds(), { maxZoom: 12 });
    var rows = cellRows.filter(function (r) { return r.cell_layer === 'cells' && r.cell_id === id; });
    var first = rows[0] || {};
    var html = '<h2>' + esc(cellName(id)) + ' <small>(' + esc(id) + ')</small></h2>' +
      '<div class="facts">' + t('area') + ' ' + fmt(first.area_km2, 1) + ' ' + t('km2') +
      (study.weights ? ' · ' + t('population') + ' ' + fmt(first.pop, 0) : '') + '</div>';
    rows.forEach(function (m) {
      var op = m.operator;
      var partners = pairRows.filter(function (p) { return p.cell_layer === 'cells' && p.cell_id === id && p.operator === op && p.significant; })
        .sort(function (a, b) { return b.share_of_cell - a.share_of_cell; });
      html += '<h3 data-style="color:' + operatorColour(op) + '">' + esc(operatorLabel(op)) + ' — ' + partners.length + ' ' + t(partners.length === 1 ? 'partner_of' : 'partners_of') + '</h3>' +
        '<table data-operator="' + esc(op) + '"><tr><th>' + t('zone') + '</th><th>' + t('share_area') + '</th>' +
        (study.weights ? '<th>' + t('share_pop') + '</th>' : '') + '<th></th></tr>' +
        partners.map(function (p) {
          return '<tr class="partner" data-operator="' + esc(op) + '" data-zone-id="' + esc(p.zone_id) + '" data-share-area="' + p.share_of_cell +
            '" data-share-pop="' + (p.pop_share_of_cell === null ? '' : p.pop_share_of_cell) + '"><td>' + esc(zoneName(op, p.zone_id)) + '</td><td>' +
            pct(p.share_of_cell) + '</td>' + (study.weights ? '<td>' + pct(p.pop_share_of_cell) + '</td>' : '') +
            '<td>' + (byId['zones-' + op + ':' + p.zone_id] ? '<a data-zoom-zone="' + esc(op) + '|' + esc(p.zone_id) + '">' + t('zoom') + '</a>' : '') + '</td></tr>';
        }).join('') +
        '<tr class="op-summary" data-operator="' + esc(op) + '" data-gap-km2="' + m.gap_km2 + '" data-double-km2="' + m.double_km2 + '" data-misfit="' + m.misfit + '">' +
        '<td>' + t('gap_row') + ' / ' + t('double_row') + '</td><td>' + fmt(m.gap_km2, 3) + ' / ' + fmt(m.double_km2, 3) + ' ' + t('km2') + '</td>' +
        (study.weights ? '<td>' + fmt(m.pop_gap, 0) + ' / ' + fmt(m.pop_double, 0) + '</td>' : '') + '<td></td></tr>' +
        '<tr><td>' + t('misfit_row') + '</td><td>' + pct(m.misfit) + '</td>' + (study.weights ? '<td>' + pct(m.pop_misfit) + '</td>' : '') + '<td></td></tr></table>';
    });
    showPanel(html);
  }

  function outlineSelected(l) {
    if (selectedLayer) selectedLayer.setStyle({ color: '#333', weight: 2 });
    selectedLayer = l || null;
    if (selectedLayer) { selectedLayer.setStyle({ color: '#00bcd4', weight: 4 }); selectedLayer.bringToFront(); }
  }

  function selectZone(op, id, zoom) {
    outlineSelected(null);
    selected = { type: 'zone', op: op, id: id };
    body.dataset.selectedZone = op + ':' + id;
    delete body.dataset.selectedCell;
    var f = byId['zones-' + op + ':' + id];
    if (f) {
      if (!layers['zones-' + op].visible) setVisible('zones-' + op, true);
      if (zoom) map.fitBounds(f.getBounds(), { maxZoom: 12 });
      highlight(f);
    }
    var touched = pairRows.filter(function (p) { return p.cell_layer === 'cells' && p.operator === op && p.zone_id === id && p.significant; })
      .sort(function (a, b) { return b.share_of_zone - a.share_of_zone; });
    var html = '<h2>' + esc(zoneName(op, id)) + ' <small>(' + esc(id) + ')</small></h2><div class="facts">' + esc(operatorLabel(op)) + '</div>' +
      '<h3>' + t('cells_touched') + ' (' + touched.length + ')</h3><table><tr><th>' + t('cell') + '</th><th>' + t('share_of_zone') + '</th></tr>' +
      touched.map(function (p) {
        return '<tr class="touched-cell" data-cell-id="' + esc(p.cell_id) + '"><td><a data-select-cell="' + esc(p.cell_id) + '">' + esc(cellName(p.cell_id)) +
          '</a></td><td>' + pct(p.share_of_zone) + '</td></tr>';
      }).join('') + '</table>';
    showPanel(html);
  }

  function showPanel(html) {
    document.getElementById('panel-body').innerHTML = html;
    applyStyles(document.getElementById('panel-body'));
    var panel = document.getElementById('panel');
    var wasHidden = panel.hidden;
    panel.hidden = false;
    if (wasHidden) map.invalidateSize();
  }

  // ---- search --------------------------------------------------------------------------------------
  var searchIndex = [];
  function buildSearch() {
    searchIndex = [];
    Object.keys(byId).forEach(function (k) {
      var l = byId[k], key = k.slice(0, k.indexOf(':'));
      var info = layers[key].info;
      if (info.kind === 'defects' || info.kind === 'design') return;
      var label = info.kind === 'cells' ? l.feature.properties.name : l.feature.properties.name + ' (' + operatorLabel(info.operator) + ')';
      searchIndex.push({ label: label, info: info, id: l.feature.properties.id });
    });
    document.getElementById('search-names').innerHTML = searchIndex.map(function (s) { return '<option value="' + esc(s.label) + '">'; }).join('');
  }
  function search(text) {
    var q = text.trim().toLowerCase();
    if (!q) return;
    var hit = searchIndex.find(function (s) { return s.label.toLowerCase() === q; }) ||
      searchIndex.find(function (s) { return s.label.toLowerCase().indexOf(q) >= 0; });
    if (!hit) return;
    if (hit.info.kind === 'cells') selectCell(hit.id, true); else selectZone(hit.info.operator, hit.id, true);
  }

  // ---- language ------------------------------------------------------------------------------------
  function applyLanguage() {
    document.documentElement.lang = lang;
    body.dataset.lang = lang;
    document.getElementById('lang').textContent = lang === 'fr' ? 'EN' : 'FR';
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (el) { el.placeholder = t(el.dataset.i18nPlaceholder); });
    if (!study) return;
    drawLayerList();
    drawLegend();
    drawDesignLegend();
    drawWorst();
    setStatus(body.dataset.status);
    if (selected && selected.type === 'cell') selectCell(selected.id, false);
    else if (selected && selected.type === 'zone') selectZone(selected.op, selected.id, false);
  }

  // ---- PNG export: the visible layers redrawn on a canvas, with the legend ------------------------
  function exportPng() {
    var size = map.getSize(), scale = 2;
    var canvas = document.createElement('canvas');
    canvas.width = size.x * scale; canvas.height = size.y * scale;
    var ctx = canvas.getContext('2d');
    ctx.scale(scale, scale);
    ctx.fillStyle = '#f3f1ec'; ctx.fillRect(0, 0, size.x, size.y);
    var pat = document.createElement('canvas'); pat.width = pat.height = 6;
    var pc = pat.getContext('2d'); pc.strokeStyle = STYLE.defects.gap.color; pc.lineWidth = 1.2; pc.beginPath(); pc.moveTo(0, 6); pc.lineTo(6, 0); pc.stroke();
    var hatchFill = ctx.createPattern(pat, 'repeat');
    ['cells', 'zones', 'design', 'defects'].forEach(function (kind) {
      study.layers.forEach(function (info) {
        var e = layers[info.key];
        if (!e || !e.visible || info.kind !== kind) return;
        e.leaflet.eachLayer(function (l) {
          var o = l.options;
          ctx.beginPath();
          traceRings(ctx, l.getLatLngs());
          if (o.fill !== false) {
            ctx.globalAlpha = o.fillOpacity;
            ctx.fillStyle = o.fillColor && o.fillColor.indexOf('url(') === 0 ? hatchFill : (o.fillColor || o.color);
            ctx.fill('evenodd');
          }
          ctx.globalAlpha = 1; ctx.strokeStyle = o.color; ctx.lineWidth = o.weight;
          ctx.setLineDash(o.dashArray ? o.dashArray.split(' ').map(Number) : []);
          ctx.stroke();
        });
      });
    });
    ctx.setLineDash([]);
    // Title and legend, so the picture stands on its own in a slide.
    ctx.fillStyle = 'rgba(255,255,255,0.9)'; ctx.fillRect(8, 8, 250, 30 + 18 * 6);
    ctx.fillStyle = '#222'; ctx.font = 'bold 13px "DejaVu Sans", sans-serif';
    ctx.fillText(study.name, 16, 26);
    ctx.font = '12px "DejaVu Sans", sans-serif';
    ctx.fillText(t('m_' + body.dataset.metric) + ' — ' + operatorLabel(body.dataset.operator), 16, 44);
    document.querySelectorAll('#legend div').forEach(function (d, i) {
      var sw = d.querySelector('.swatch');
      if (!sw) return;
      ctx.fillStyle = sw.style.background; ctx.fillRect(16, 52 + 18 * i, 16, 12);
      ctx.strokeStyle = '#555'; ctx.lineWidth = 1; ctx.strokeRect(16, 52 + 18 * i, 16, 12);
      ctx.fillStyle = '#222'; ctx.fillText(d.textContent, 40, 62 + 18 * i);
    });
    canvas.toBlob(function (blob) {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob); a.download = 'cepgeo-map.png';
      document.body.appendChild(a); a.click(); a.remove();
      body.dataset.lastExport = 'cepgeo-map.png';
    }, 'image/png');
  }
  function traceRings(ctx, latlngs) {
    if (!latlngs.length) return;
    if (Array.isArray(latlngs[0])) { latlngs.forEach(function (r) { traceRings(ctx, r); }); return; }
    latlngs.forEach(function (ll, i) {
      var p = map.latLngToContainerPoint(ll);
      if (i === 0) ctx.moveTo(p.x, p.y); else ctx.lineTo(p.x, p.y);
    });
    ctx.closePath();
  }

  // ---- start ---------------------------------------------------------------------------------------
  function publishView() {
    var b = map.getBounds();
    body.dataset.zoom = String(map.getZoom());
    body.dataset.view = JSON.stringify([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]);
  }
  function makeMap() {
    map = L.map('map', { zoomSnap: 0.25, preferCanvas: false, attributionControl: !!study.tiles });
    if (map.attributionControl) map.attributionControl.setPrefix(false);
    map.createPane('cells').style.zIndex = 400;
    map.createPane('zones').style.zIndex = 420;
    map.createPane('design').style.zIndex = 430;
    map.createPane('defects').style.zIndex = 440;
    if (study.tiles) L.tileLayer(study.tiles, { maxZoom: 18, attribution: study.tiles.replace(/^\w+:\/\/([^/]+).*$/, '$1') }).addTo(map);
    var b = study.bounds;
    map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    // Hatching for gaps: one SVG pattern in the defects pane's renderer.
    var renderer = L.svg({ pane: 'defects' });
    renderer.addTo(map);
    var svg = renderer._container, ns = 'http://www.w3.org/2000/svg';
    var defs = document.createElementNS(ns, 'defs');
    defs.innerHTML = '<pattern id="hatch-gap" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">' +
      '<rect width="6" height="6" fill="#fff" fill-opacity="0.6"/><line x1="0" y1="0" x2="0" y2="6" stroke="' + STYLE.defects.gap.color + '" stroke-width="2.5"/></pattern>';
    svg.insertBefore(defs, svg.firstChild);
    hatch = renderer;
    L.control.scale({ imperial: false }).addTo(map);
    // The view, published for scripts: zoom and [west, south, east, north].
    map.on('moveend zoomend', publishView);
    publishView();
  }

  function start() {
    setStatus('loading');
    Promise.all([getJson('api/study'), getJson('api/metrics/cells'), getJson('api/metrics/pairs'), getJson('api/metrics/zones'), getJson('api/style')])
      .then(function (res) {
        study = res[0]; cellRows = res[1]; pairRows = res[2]; zoneRows = res[3];
        useStyle(res[4]);
        if (study.design) body.dataset.design = study.design.kind;
        document.getElementById('title').textContent = 'CepGeo — ' + study.name;
        document.title = 'CepGeo — ' + study.name;
        var opSelect = document.getElementById('operator');
        opSelect.innerHTML = study.operators.map(function (o) { return '<option value="' + esc(o.key) + '">' + esc(o.label) + '</option>'; }).join('');
        body.dataset.metric = 'misfit'; body.dataset.weight = 'area';
        body.dataset.operator = study.operators.length ? study.operators[0].key : '';
        makeMap();
        return Promise.all(study.layers.map(function (info) {
          return getJson('api/layers/' + encodeURIComponent(info.key)).then(function (g) { addLayer(info, g); });
        }));
      })
      .then(function () {
        // Default view: the cells coloured, the first operator's zones, gaps and double coverage.
        study.layers.forEach(function (info) {
          var show = info.kind === 'cells' || info.kind === 'design' || (info.kind === 'defects' && info.operator !== 'straddle') ||
            (info.kind === 'zones' && info.operator === body.dataset.operator);
          if (layers[info.key]) setVisible(info.key, show);
        });
        publishLayers();
        recolour();
        drawLayerList();
        buildSearch();
        applyLanguage();
        requestAnimationFrame(function () {
          requestAnimationFrame(function () {
            body.dataset.firstPaintMs = String(Math.round(performance.now() - started));
            setStatus('ready');
          });
        });
      })
      .catch(function (e) { setStatus('error'); document.getElementById('status').textContent = t('error') + ': ' + e.message; });
  }

  document.getElementById('layer-list').addEventListener('change', function (ev) {
    if (ev.target.dataset.layer) setVisible(ev.target.dataset.layer, ev.target.checked);
  });
  document.getElementById('metric').addEventListener('change', function (ev) { body.dataset.metric = ev.target.value; recolour(); });
  document.getElementById('weight').addEventListener('change', function (ev) { body.dataset.weight = ev.target.value; recolour(); });
  document.getElementById('operator').addEventListener('change', function (ev) {
    body.dataset.operator = ev.target.value;
    recolour();
    if (selected && selected.type === 'cell') selectCell(selected.id, false);
  });
  document.getElementById('worst').addEventListener('click', function (ev) {
    var li = ev.target.closest('li');
    if (li) selectCell(li.dataset.cellId, true);
  });
  document.getElementById('panel-body').addEventListener('click', function (ev) {
    var a = ev.target.closest('a');
    if (!a) return;
    if (a.dataset.zoomZone) { var parts = a.dataset.zoomZone.split('|'); selectZone(parts[0], parts.slice(1).join('|'), true); }
    if (a.dataset.selectCell) selectCell(a.dataset.selectCell, true);
  });
  document.getElementById('panel-close').addEventListener('click', function () {
    document.getElementById('panel').hidden = true; selected = null; outlineSelected(null);
    delete body.dataset.selectedCell; delete body.dataset.selectedZone; map.invalidateSize();
  });
  document.getElementById('search').addEventListener('change', function (ev) { search(ev.target.value); });
  document.getElementById('lang').addEventListener('click', function () { lang = lang === 'fr' ? 'en' : 'fr'; applyLanguage(); });
  document.getElementById('export-png').addEventListener('click', exportPng);

  // Published for scripts and tests: select a cell or a zone as a click would.
  window.cepgeo = {
    // The Leaflet map, for the plan mode (plan.js).
    map: function () { return map; },
    selectCell: selectCell,
    selectZone: selectZone,
    // The colour index (0 = lightest) a value of a metric gets, as the cells are coloured.
    classOf: function (metric, v) { return classIn(metric, v); },
    // Where a lon/lat point is on the page (to click a place as a person would).
    pointOf: function (lon, lat) {
      var p = map.latLngToContainerPoint([lat, lon]), r = map.getContainer().getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    }
  };
  start();
})();
