"""Draw the demo's featured images and author portraits (run once; the JPEGs are committed).

    .venv/bin/python articles/demo/make_images.py

Calm abstract illustrations, one per demo article, 1200×675, plus 400×400 initials portraits.
The loader never runs this: it attaches the files in images/ as they are. If you change a
picture, change its `image_alt` in the article's front matter to match.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent / "images"
WIDTH, HEIGHT = 1200, 675
SCALE = 2  # draw at twice the size, then shrink: smooth edges without antialiasing support
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def gradient(top, bottom, size):
    """A vertical gradient from `top` to `bottom` (RGB tuples)."""
    width, height = size
    column = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / (height - 1)
        column.putpixel(
            (0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    return column.resize(size)


def overlay(base, draw_shapes, colour, blur=0):
    """Draw translucent shapes in `colour` on a layer of their own; composite it onto `base`."""
    # The transparent pixels share the shapes' colour, so blurring leaves no dark fringe.
    layer = Image.new("RGBA", base.size, (*colour, 0))
    draw_shapes(ImageDraw.Draw(layer))
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    return Image.alpha_composite(base, layer)


def soft_circles(draw, circles, colour):
    for x, y, r, alpha in circles:
        draw.ellipse(
            [(x - r) * SCALE, (y - r) * SCALE, (x + r) * SCALE, (y + r) * SCALE],
            fill=(*colour, alpha),
        )


def spine(draw, colour):
    """A gently curving column of rounded blocks."""
    for i in range(9):
        y = 95 + i * 56
        x = 600 + 70 * math.sin(i / 8 * math.pi * 1.2 - 0.4)
        w = 92 + i * 6
        box = [(x - w / 2) * SCALE, (y - 20) * SCALE, (x + w / 2) * SCALE, (y + 20) * SCALE]
        draw.rounded_rectangle(box, radius=18 * SCALE, fill=(*colour, 210))
    soft_circles(draw, [(900, 200, 30, 255)], colour)


def nerve(draw, colour):
    """A line running down the frame that branches near the bottom."""
    points = [(560 + 60 * math.sin(y / 110), y) for y in range(40, 470, 6)]
    draw.line(
        [(x * SCALE, y * SCALE) for x, y in points],
        fill=(*colour, 235),
        width=14 * SCALE,
        joint="curve",
    )
    end_x, end_y = points[-1]
    for dx, dy in [(-130, 150), (-20, 170), (110, 140)]:
        branch = [
            (end_x + dx * t + 25 * math.sin(t * 3), end_y + dy * t)
            for t in [i / 20 for i in range(21)]
        ]
        draw.line(
            [(x * SCALE, y * SCALE) for x, y in branch],
            fill=(*colour, 200),
            width=9 * SCALE,
            joint="curve",
        )


def checklist(draw, colour):
    """Three rounded bars, each with a tick in a circle beside it."""
    for i in range(3):
        y = 200 + i * 120
        draw.ellipse(
            [400 * SCALE, (y - 34) * SCALE, 468 * SCALE, (y + 34) * SCALE], fill=(*colour, 230)
        )
        tick = [(418, y + 2), (430, y + 16), (452, y - 14)]
        draw.line(
            [(x * SCALE, ty * SCALE) for x, ty in tick],
            fill=(255, 255, 255, 255),
            width=8 * SCALE,
            joint="curve",
        )
        length = [360, 300, 330][i]
        draw.rounded_rectangle(
            [500 * SCALE, (y - 22) * SCALE, (500 + length) * SCALE, (y + 22) * SCALE],
            radius=22 * SCALE,
            fill=(*colour, 150),
        )


def stepping_stones(draw, colour):
    """Six circles that grow as they rise from left to right."""
    for i in range(6):
        x = 200 + i * 160
        y = 540 - i * 75
        r = 26 + i * 9
        draw.ellipse(
            [(x - r) * SCALE, (y - r) * SCALE, (x + r) * SCALE, (y + r) * SCALE],
            fill=(*colour, 150 + i * 18),
        )


def cairn(draw, colour):
    """Smooth stones balanced in an upright stack."""
    stones = [
        (600, 560, 150, 48),
        (595, 468, 120, 42),
        (604, 388, 96, 38),
        (598, 318, 74, 32),
        (601, 258, 52, 28),
    ]
    for x, y, rx, ry in stones:
        draw.ellipse(
            [(x - rx) * SCALE, (y - ry) * SCALE, (x + rx) * SCALE, (y + ry) * SCALE],
            fill=(*colour, 225),
        )


def droplet(draw, colour):
    """A single drop above gentle concentric ripples."""
    for i, r in enumerate([360, 270, 180, 95]):
        box = [
            (600 - r) * SCALE,
            (520 - r * 0.22) * SCALE,
            (600 + r) * SCALE,
            (520 + r * 0.22) * SCALE,
        ]
        draw.ellipse(box, outline=(*colour, 90 + i * 40), width=6 * SCALE)
    cx, cy, r = 600, 300, 62
    draw.ellipse(
        [(cx - r) * SCALE, (cy - r) * SCALE, (cx + r) * SCALE, (cy + r) * SCALE],
        fill=(*colour, 235),
    )
    draw.polygon(
        [
            ((cx - r * 0.87) * SCALE, (cy - r * 0.5) * SCALE),
            (cx * SCALE, (cy - 150) * SCALE),
            ((cx + r * 0.87) * SCALE, (cy - r * 0.5) * SCALE),
        ],
        fill=(*colour, 235),
    )


# slug: (top colour, bottom colour, motif colour, motif, background circles)
ILLUSTRATIONS = {
    "what-is-minimally-invasive-spine-surgery": (
        (32, 110, 120),
        (150, 200, 214),
        (240, 248, 246),
        spine,
        [(260, 480, 180, 40), (1000, 560, 230, 30)],
    ),
    "sciatica-why-your-leg-hurts": (
        (214, 104, 88),
        (246, 206, 170),
        (255, 246, 232),
        nerve,
        [(220, 160, 200, 40), (1010, 480, 240, 35)],
    ),
    "preparing-for-spine-surgery-checklist": (
        (178, 204, 178),
        (234, 240, 222),
        (74, 122, 96),
        checklist,
        [(1040, 120, 190, 45), (120, 600, 160, 40)],
    ),
    "first-six-weeks-after-lumbar-discectomy": (
        (150, 136, 196),
        (242, 226, 176),
        (255, 252, 240),
        stepping_stones,
        [(1030, 110, 130, 50), (140, 150, 220, 30)],
    ),
    "desk-posture-your-back-will-thank-you-for": (
        (126, 178, 222),
        (246, 238, 220),
        (96, 104, 120),
        cairn,
        [(900, 170, 90, 90), (220, 260, 260, 35)],
    ),
    "epidural-steroid-injections-what-to-expect": (
        (28, 62, 120),
        (150, 214, 220),
        (236, 250, 252),
        droplet,
        [(180, 130, 210, 30), (1060, 220, 170, 35)],
    ),
}

# file stem: (initials, circle colour)
PORTRAITS = {
    "maya-lindqvist": ("ML", (38, 112, 122)),
    "samuel-okafor": ("SO", (168, 92, 64)),
}


def featured_image(top, bottom, motif_colour, motif, circles):
    size = (WIDTH * SCALE, HEIGHT * SCALE)
    image = gradient(top, bottom, size).convert("RGBA")
    white = (255, 255, 255)
    image = overlay(image, lambda d: soft_circles(d, circles, white), white, blur=12 * SCALE)
    image = overlay(image, lambda d: motif(d, motif_colour), motif_colour)
    return image.convert("RGB").resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def portrait(initials, colour):
    size = 400 * SCALE
    image = Image.new("RGB", (size, size), (244, 241, 236))
    draw = ImageDraw.Draw(image)
    margin = 16 * SCALE
    draw.ellipse([margin, margin, size - margin, size - margin], fill=colour)
    font = ImageFont.truetype(FONT, 150 * SCALE)
    draw.text((size / 2, size / 2), initials, font=font, fill=(255, 255, 255), anchor="mm")
    return image.resize((400, 400), Image.Resampling.LANCZOS)


def logo(mark, ground):
    """The demo practice's mark: three vertebrae in a circle, `mark` on `ground` (RGBA)."""
    size = 192 * SCALE
    image = Image.new("RGBA", (size, size), (*mark[:3], 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([0, 0, size - 1, size - 1], fill=ground)
    for index in range(3):
        top = (44 + index * 38) * SCALE
        inset = (58 - index * 6) * SCALE
        draw.rounded_rectangle(
            [inset, top, size - inset, top + 28 * SCALE], radius=10 * SCALE, fill=mark
        )
    return image.resize((192, 192), Image.Resampling.LANCZOS)


def logos():
    """The logo for light backgrounds (192 px: search engines want at least 112), the one for the
    dark header, and the site's favicon."""
    teal, white = (10, 92, 114, 255), (255, 255, 255, 255)
    light, dark = logo(white, teal), logo(teal, white)
    light.save(HERE / "logo.png", optimize=True)
    # The header shows it 36-48 px high: 96 px covers a phone's 2x screen, and no more is sent.
    dark.resize((96, 96), Image.Resampling.LANCZOS).save(HERE / "logo-on-dark.png", optimize=True)
    static = HERE.parents[2] / "static" / "root"
    static.mkdir(parents=True, exist_ok=True)
    light.save(static / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


def main():
    HERE.mkdir(exist_ok=True)
    logos()
    pictures = {slug: featured_image(*spec) for slug, spec in ILLUSTRATIONS.items()}
    pictures |= {f"author-{slug}": portrait(*spec) for slug, spec in PORTRAITS.items()}
    for stem, image in pictures.items():
        path = HERE / f"{stem}.jpg"
        image.save(path, "JPEG", quality=84, optimize=True, progressive=True)
        print(f"{path.name}: {image.width}×{image.height}, {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
