#!/usr/bin/env python3
"""Draw the app icons (the same three rising bars as static/icons/icon.svg) as PNG and ICO."""

from PIL import Image, ImageDraw


def draw(size: int, *, pad: bool = False) -> Image.Image:
    scale = size / 64
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0) if not pad else (20, 83, 45, 255))
    d = ImageDraw.Draw(image)
    if not pad:
        d.rounded_rectangle(
            [0, 0, size - 1, size - 1], radius=int(14 * scale), fill=(20, 83, 45, 255)
        )
    for x, y, colour in (
        (13, 36, (255, 255, 255)),
        (27.5, 26, (255, 255, 255)),
        (42, 14, (134, 239, 172)),
    ):
        d.rounded_rectangle(
            [x * scale, y * scale, (x + 9) * scale, 52 * scale],
            radius=max(1, int(2 * scale)),
            fill=colour,
        )
    return image


draw(32).save("static/icons/icon-32.png")
draw(180, pad=True).save("static/icons/apple-touch-icon.png")
draw(192).save("static/icons/icon-192.png")
draw(512).save("static/icons/icon-512.png")
draw(48).save("static/icons/favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])
