"""Build ``LandbankSansSC-Regular.ttf``: the CJK font landbank ships, a subset of Noto Sans CJK SC.

Run from the repository root (needs fontTools: ``.venv/bin/pip install -e ".[fonts]"``)::

    .venv/bin/python resources/fonts/build_font.py
    .venv/bin/python resources/fonts/build_font.py --source /path/to/NotoSansCJK-Regular.ttc

Without ``--source`` the script takes Debian's ``fonts-noto-cjk`` file when that package is
installed, else downloads the package with ``apt-get download`` into a temporary folder (no
root needed, nothing installed) and unpacks it with ``dpkg-deb -x``.

What it does:

1. takes the Simplified Chinese face (“Noto Sans CJK SC”) out of the collection;
2. keeps only the characters landbank prints (:func:`wanted_characters`): ASCII, Latin-1, the
   punctuation, symbols, CJK punctuation and full-width forms blocks, every character of
   GB 2312 (its 6,763 hanzi and its symbols), every character of the county gazetteer
   (``resources/gazetteer/counties.tsv``: 7 of its hanzi are not in GB 2312) and every
   non-ASCII character written in landbank's source and shipped texts (㎡ ✓ ✗ — …);
3. converts the CFF (cubic) outlines to TrueType (quadratic) ones, as fontTools' ``otf2ttf``
   snippet does: Qt's PDF writer embeds a TrueType font as a real font subset (the text can
   be searched and copied from the PDF), while a CFF font may end up as drawn shapes;
4. gives every character its own glyph where the source shares one between several (– and
   ‒, ～ and 〜, ／ and ∕, the ideographic and the em space …): a PDF writer maps each glyph
   back to one character for the text layer, and Qt's takes the lowest, so a shared glyph
   made an en dash read back (searched, copied, pdftotext) as a figure dash;
5. renames the family to “Landbank Sans SC”, so it never competes with a full Noto Sans CJK SC
   installed on the same machine (the OFL asks modified versions to be told apart), keeping
   the copyright, licence and version.

It prints the size and the number of characters, and checks that every wanted character the
source has is in the result.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from fontTools.misc.transform import Transform
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = HERE / "LandbankSansSC-Regular.ttf"
FAMILY = "Landbank Sans SC"
POSTSCRIPT = "LandbankSansSC-Regular"
SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_VERSION = "Version 2.004"
DEBIAN_PACKAGE = "fonts-noto-cjk"
DEBIAN_FILE = "usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BALLOT_X = 0x2717
BALLOT_X_HEIGHT = 700  # ✓ is 786 units high, × 644: ✗ between, a little lighter than ✓
BALLOT_X_CENTRE_Y = 371  # ✓'s vertical centre
# cu2qu's tolerance in font units (1000 a em): 1 unit is invisible at any printed size.
MAX_ERR = 1.0

# Unicode blocks kept whole (only what the source font has of them ends up in the subset).
BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (², ·, ×, ÷, °)
    (0x2000, 0x206F),  # general punctuation (— – … ‰ ‘ ’ “ ”)
    (0x2070, 0x209F),  # superscripts and subscripts (ⁿ)
    (0x2100, 0x214F),  # letterlike symbols (℃ №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ Ⅲ)
    (0x2190, 0x21FF),  # arrows (→ ↑ ↓)
    (0x2200, 0x22FF),  # mathematical operators (≤ ≥ ≈ − ±)
    (0x2460, 0x24FF),  # enclosed alphanumerics (① ②)
    (0x2500, 0x257F),  # box drawing
    (0x25A0, 0x25FF),  # geometric shapes (△ ▲ ■ ● ○ ◆)
    (0x2600, 0x26FF),  # miscellaneous symbols (★ ☆)
    (0x2700, 0x27BF),  # dingbats (✓ ✗)
    (0x3000, 0x303F),  # CJK symbols and punctuation (、。《》「」【】〜)
    (0x3200, 0x32FF),  # enclosed CJK letters (㈠ ㊣)
    (0x3300, 0x33FF),  # CJK compatibility (㎡ ㎏)
    (0xFF00, 0xFFEF),  # half-width and full-width forms (（）：；１２３)
)
# Texts whose characters must all be there: the gazetteer, the app's source and shipped texts.
TEXT_GLOBS: tuple[str, ...] = (
    "resources/gazetteer/counties.tsv",
    "resources/*.json",
    "resources/*.md",
    "landbank/**/*.py",
)


def gb2312_characters() -> Iterator[str]:
    """Every character GB 2312 encodes (rows 1-9 symbols, 16-87 hanzi)."""
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                yield bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue


def text_characters(root: Path, globs: Iterable[str]) -> set[str]:
    """The non-ASCII characters of the files ``globs`` match under ``root``."""
    found: set[str] = set()
    for pattern in globs:
        for path in sorted(root.glob(pattern)):
            found.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7E)
    return {c for c in found if c.isprintable()}


def wanted_characters(root: Path = ROOT) -> set[str]:
    wanted = {chr(cp) for first, last in BLOCKS for cp in range(first, last + 1)}
    wanted.update(gb2312_characters())
    wanted.update(text_characters(root, TEXT_GLOBS))
    return wanted


def find_source(given: Path | None, work: Path) -> Path:
    """The Noto Sans CJK collection: ``given``, the installed Debian file, or the package."""
    if given is not None:
        return given
    installed = Path("/") / DEBIAN_FILE
    if installed.is_file():
        return installed
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        sys.exit(f"没有 {DEBIAN_PACKAGE}：请用 --source 指定 NotoSansCJK-Regular.ttc")
    subprocess.run(["apt-get", "download", DEBIAN_PACKAGE], cwd=work, check=True)
    deb = next(work.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    print(f"unpacking {deb.name}")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "root")], check=True)
    return work / "root" / DEBIAN_FILE


def open_face(source: Path) -> TTFont:
    """The Simplified Chinese face of a collection (or the font itself)."""
    if source.suffix.lower() in (".ttc", ".otc"):
        for font in TTCollection(str(source)).fonts:
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return font
        sys.exit(f"{source} 中没有 {SOURCE_FAMILY}")
    return TTFont(str(source))


def subset(font: TTFont, characters: set[str]) -> None:
    options = Options()
    options.desubroutinize = True  # plain charstrings convert to quadratic curves directly
    options.hinting = False  # CFF hints do not survive the conversion anyway
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]  # no vertical text is printed
    # What Qt applies to horizontal text by itself; alternates (aalt, hwid, pwid, ruby …) would
    # bring thousands of glyphs nobody prints.
    options.layout_features = ["ccmp", "liga", "calt", "kern", "mark", "mkmk"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in characters])
    subsetter.subset(font)


def to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by TrueType ones (fontTools' otf2ttf snippet)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: CID names are of no use and cost space
    post.extraNames, post.mapping = [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def unshare_glyphs(font: TTFont) -> int:
    """Give each character that shares its glyph with a lower one a copy of its own, so a
    PDF's text layer (which maps glyphs back to characters) says what was printed; returns
    the copies made."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    users: dict[str, list[int]] = {}
    for code, name in sorted(font.getBestCmap().items()):
        users.setdefault(name, []).append(code)
    order = font.getGlyphOrder()
    taken = set(order)
    renamed: dict[int, str] = {}
    for name, codes in users.items():
        for code in codes[1:]:
            copy_name = f"uni{code:04X}" if code <= 0xFFFF else f"u{code:05X}"
            while copy_name in taken:
                copy_name += ".u"
            taken.add(copy_name)
            order.append(copy_name)
            font.setGlyphOrder(order)
            glyf.glyphOrder = order
            glyf[copy_name] = copy.deepcopy(glyf[name])
            hmtx[copy_name] = hmtx[name]
            renamed[code] = copy_name
    for table in font["cmap"].tables:
        if table.isUnicode():
            for code, copy_name in renamed.items():
                if code in table.cmap:
                    table.cmap[code] = copy_name
    return len(renamed)


def add_ballot_x(font: TTFont) -> None:
    """Give ✗ (U+2717, the “不符合” mark beside ✓ △ —) a glyph: Noto Sans CJK has ✓ but no
    ✗. It is the full-width × enlarged to ✓'s height, on the × glyph's full-width advance."""
    cmap = font.getBestCmap()
    if BALLOT_X in cmap:
        return
    glyf, hmtx = font["glyf"], font["hmtx"]
    times = cmap[ord("×")]
    source = glyf[times]
    source.recalcBounds(glyf)
    advance = hmtx[times][0]
    centre_x, centre_y = (source.xMin + source.xMax) / 2, (source.yMin + source.yMax) / 2
    pen = TTGlyphPen(None)
    scale = BALLOT_X_HEIGHT / (source.yMax - source.yMin)
    move = Transform().translate(advance / 2, BALLOT_X_CENTRE_Y).scale(scale)
    source.draw(TransformPen(pen, move.translate(-centre_x, -centre_y)), glyf)
    glyph = pen.glyph()
    name = "uni2717"
    font.setGlyphOrder([*font.getGlyphOrder(), name])
    glyf.glyphOrder = font.getGlyphOrder()
    glyf[name] = glyph
    glyph.recalcBounds(glyf)
    hmtx[name] = (advance, glyph.xMin)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[BALLOT_X] = name


def rename(font: TTFont) -> str:
    """Give the subset its own family name; returns the source's version string."""
    name = font["name"]
    version = name.getDebugName(5) or ""
    keep = {0, 7, 8, 9, 11, 12, 13, 14}  # copyright, trademark, maker, designer, urls, licence
    name.names = [r for r in name.names if r.nameID in keep and r.platformID == 3]
    short_version = version.split(";")[0]
    new = {
        1: FAMILY,
        2: "Regular",
        3: f"{short_version};{POSTSCRIPT};landbank subset",
        4: f"{FAMILY} Regular",
        5: f"{short_version}; subset of {SOURCE_FAMILY} for landbank",
        6: POSTSCRIPT,
    }
    for name_id, text in new.items():
        name.setName(text, name_id, 3, 1, 0x409)
    return version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="NotoSansCJK-Regular.ttc (or a SC .otf)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="landbank-font-") as temp:
        source = find_source(args.source, Path(temp))
        font = open_face(source)
        available = set(font.getBestCmap())
        wanted = wanted_characters()
        missing_in_source = sorted(
            c
            for c in text_characters(ROOT, TEXT_GLOBS)
            if ord(c) not in available and ord(c) != BALLOT_X
        )
        subset(font, wanted)
        to_truetype(font)
        copies = unshare_glyphs(font)
        add_ballot_x(font)
        version = rename(font)
        font.save(str(args.out))
    built = TTFont(str(args.out))
    cmap = set(built.getBestCmap())
    shared = len(built.getBestCmap()) - len(set(built.getBestCmap().values()))
    if shared:
        sys.exit(f"{shared} characters still share a glyph with another")
    lost = sorted(c for c in wanted if ord(c) in (available | {BALLOT_X}) and ord(c) not in cmap)
    if lost:
        sys.exit(f"subset lost {len(lost)} characters: {''.join(lost[:40])}")
    if not version.startswith(SOURCE_VERSION):
        print(f"note: source is {version!r}, README names {SOURCE_VERSION!r}: update it")
    size = args.out.stat().st_size
    print(f"source: {source} ({version})")
    print(
        f"wrote {args.out}: {len(cmap)} characters, {len(built.getGlyphOrder())} glyphs, "
        f"{size / 1_000_000:.2f} MB ({copies} glyphs copied for characters that shared one)"
    )
    if missing_in_source:
        shown = " ".join(f"U+{ord(c):04X}{c}" for c in missing_in_source)
        print(f"not in {SOURCE_FAMILY} (the system's fonts must draw them): {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
