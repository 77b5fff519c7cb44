#!/bin/sh
# The Latin subsets of DejaVu Sans that the fiche maps' SVG is lettered with (docs/decisions.md, "The fiche SVG's lettering
# measured on a Latin subset"): Skia's SVG canvas rebuilds the whole glyph-to-character map of the typeface for every text
# it writes (~6,000 glyphs in DejaVu Sans); the subset keeps the characters French and European place names, the glossary
# and the numbers need, with the full font's metrics, outlines and hinting (the same advances, so the same SVG). Text with a
# character the subset lacks is measured on the full font (MapFonts.LatinFor). Run from this folder after changing a font:
#   sh make-latin.sh     (needs fontTools: /usr/bin/python3 -m fontTools.subset)
set -eu
# Basic Latin, Latin-1, Latin Extended A and B, IPA's spacing modifiers, combining diacritics, Latin Extended Additional,
# general punctuation, super/subscripts, currency, letterlike symbols, arrows, mathematical operators.
RANGES="U+0020-007E,U+00A0-00FF,U+0100-017F,U+0180-024F,U+02B0-02FF,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+2070-209F,U+20A0-20CF,U+2100-214F,U+2190-21FF,U+2200-22FF,U+FFFD"
for f in DejaVuSans DejaVuSans-Bold; do
  /usr/bin/python3 -m fontTools.subset "$f.ttf" --unicodes="$RANGES" --output-file="$f-Latin.ttf" \
    --layout-features='*' --glyph-names --name-IDs='*' --name-languages='*' --name-legacy --legacy-kern \
    --notdef-glyph --notdef-outline --recommended-glyphs --hinting --drop-tables= --no-prune-unicode-ranges
done
