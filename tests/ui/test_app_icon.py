"""The application's icon on its windows (and the taskbar): the SVG landbank ships."""

from __future__ import annotations

from landbank.ui.app import app_icon, create_application


def test_the_windows_carry_the_shipped_icon() -> None:
    app = create_application()
    icon = app.windowIcon()
    assert not icon.isNull()
    for size in (16, 32, 256):
        image = icon.pixmap(size, size).toImage()
        assert (image.width(), image.height()) == (size, size)
    # Drawn from the SVG: its blue tile, left of the middle.
    big = app_icon().pixmap(256, 256).toImage()
    assert big.pixelColor(20, 128).name() == "#1f5f8b"
