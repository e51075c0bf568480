#!/usr/bin/env python3
"""Draws assets/cover.png, the cover of The bindery Guide (1600 x 2560 px).

Needs Pillow and the DejaVu fonts (Debian/Ubuntu: fonts-dejavu-core). For example:

    pip install --target /tmp/pil pillow
    PYTHONPATH=/tmp/pil python3 assets/make-cover.py

Run it from anywhere; it writes cover.png next to this script. Set COVER_FONT_DIR if the
DejaVu fonts are not in /usr/share/fonts/truetype/dejavu. The drawing uses no randomness,
so the same Pillow version gives the same picture.
"""
import os
import sys

from PIL import Image, ImageDraw, ImageFont

W, H = 1600, 2560
MARGIN = 160

PAPER = (239, 234, 224)   # warm off-white
INK = (33, 55, 72)        # deep slate blue
TEAL = (74, 120, 128)     # muted teal
OCHRE = (196, 150, 72)    # soft ochre
PALE = (214, 206, 190)    # darker paper, for the page edges

FONT_DIR = os.environ.get("COVER_FONT_DIR", "/usr/share/fonts/truetype/dejavu")
HERE = os.path.dirname(os.path.abspath(__file__))


def font(name, size):
    path = os.path.join(FONT_DIR, name)
    if not os.path.exists(path):
        sys.exit(f"make-cover: font not found: {path} (install fonts-dejavu-core or set COVER_FONT_DIR)")
    return ImageFont.truetype(path, size)


def main():
    img = Image.new("RGB", (W, H), PAPER)
    d = ImageDraw.Draw(img)

    # Title block: a slate panel across the top.
    panel_bottom = 1160
    d.rectangle([0, 0, W, panel_bottom], fill=INK)
    d.rectangle([0, panel_bottom, W, panel_bottom + 24], fill=OCHRE)

    the = font("DejaVuSerif.ttf", 120)
    bindery = font("DejaVuSerif-Bold.ttf", 290)
    guide = font("DejaVuSerif.ttf", 210)
    d.text((MARGIN, 300), "The", font=the, fill=PAPER)
    d.text((MARGIN - 12, 440), "bindery", font=bindery, fill=PAPER)
    d.text((MARGIN, 790), "Guide", font=guide, fill=OCHRE)

    # The motif: a book block seen from the spine. Stacked signatures (gatherings of pages)
    # of slightly different lengths, sewn together by one row of stitches.
    top, bar_h, gap = 1330, 70, 22
    lengths = [1080, 1180, 1130, 1240, 1160, 1210, 1100]
    colours = [TEAL, PALE, TEAL, PALE, TEAL, PALE, TEAL]
    spine_x = MARGIN + 90
    for i, (length, colour) in enumerate(zip(lengths, colours)):
        y = top + i * (bar_h + gap)
        d.rounded_rectangle([MARGIN, y, MARGIN + length, y + bar_h], radius=14, fill=colour)
    # The sewing thread: a vertical ochre line with a stitch across each signature.
    last = top + (len(lengths) - 1) * (bar_h + gap) + bar_h
    d.line([spine_x, top - 40, spine_x, last + 40], fill=OCHRE, width=10)
    for i in range(len(lengths)):
        y = top + i * (bar_h + gap) + bar_h // 2
        d.line([spine_x - 34, y, spine_x + 34, y], fill=OCHRE, width=10)

    # Subtitle, two lines, below the motif.
    sub = font("DejaVuSans.ttf", 66)
    y = last + 150
    for line in ("Compiling Markdown books into", "valid, reproducible EPUB 3"):
        d.text((MARGIN, y), line, font=sub, fill=INK)
        y += 92

    # Foot: a thin rule and the publisher's name.
    d.rectangle([MARGIN, H - 250, W - MARGIN, H - 246], fill=INK)
    d.text((MARGIN, H - 200), "bindery", font=font("DejaVuSans-Bold.ttf", 60), fill=TEAL)

    # Few colours keep the file small: quantize to a 32-colour palette (enough for the
    # anti-aliased text edges) and let zlib work at its hardest.
    out = img.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    path = os.path.join(HERE, "cover.png")
    out.save(path, optimize=True)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
