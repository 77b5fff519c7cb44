"""Opens results.gpkg in QGIS (headless) with each layer's default style from layer_styles, as QGIS
does when the file is dragged into a project, and renders cells, gaps and a sites layer to a PNG.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 docs/qgis/render.py out/paca/results.gpkg docs/qgis/paca-results-gpkg.png

Needs Debian's python3-qgis (QGIS 3.22 on bookworm); not part of the tests or CI.
"""
import sys

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererParallelJob,
                       QgsMapSettings, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

gpkg, out = sys.argv[1], sys.argv[2]
app = QgsApplication([], False)
app.initQgis()
layers = []
for name in ["sites_ml", "gaps", "cells"]:
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    assert layer.isValid(), name
    message, ok = layer.loadDefaultStyle()
    print(name, "default style:", ok, message, "renderer:", layer.renderer().type(), "labels:", layer.labelsEnabled())
    layers.append(layer)
settings = QgsMapSettings()
settings.setLayers(layers)
settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3035"))
settings.setExtent(settings.layerExtentToOutputExtent(layers[-1], layers[-1].extent()))
settings.setOutputSize(QSize(1100, 900))
settings.setBackgroundColor(QColor(255, 255, 255))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
job.renderedImage().save(out, "png")
print("wrote", out)
app.exitQgis()
