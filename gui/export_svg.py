"""Qt's SVG made to render the same everywhere: output-space coordinates, font fallbacks, whole runs.

``QSvgGenerator`` writes every item inside a ``<g transform="matrix(…)">`` of its data
coordinates (a plot's ×160 scale, say) and marks cosmetic pens with
``vector-effect="non-scaling-stroke"``. Qt honours that; librsvg (rsvg-convert, GNOME,
LibreOffice) and CairoSVG do not, so a 1-pixel arrow shaft scaled ×160 becomes a huge
rectangle. ``output_space_svg`` rewrites the file so nothing relies on it: the group
transforms are applied to the coordinates of stroked shapes (which then need no
``vector-effect``), and the remaining elements (text, images) carry the transform
themselves.

Text: with ``text_path`` (what the app's exports use) each run becomes the outlines of the
glyphs Qt drew, so no font is needed and nothing can shift or overlap; the words stay as the
shape's title. Without it, text stays text: font names get generic fallbacks, and a word Qt
split into runs at a line-break opportunity is joined again (``measure``), so a font with
other widths cannot make its pieces overlap.

Pure XML, no Qt: the caller passes the Qt-backed functions (family resolution, metrics, glyphs).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)

#: The fallbacks named after every font: a common family with wide coverage, then the generic one.
FALLBACK_FAMILIES = ("DejaVu Sans", "sans-serif")
#: Qt's generic names that mean nothing to other programs.
QT_GENERIC = {"sans serif": "sans-serif", "sans": "sans-serif", "serif": "serif", "monospace": "monospace"}

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"[A-Za-z]|{_NUMBER}")
_PAIR_COMMANDS = {"M": 1, "L": 1, "C": 3, "Q": 2, "S": 2, "T": 1}
_SHAPES = {"path", "polyline", "polygon", "line", "rect", "circle", "ellipse"}
_TEXT_STYLE = ("y", "fill", "fill-opacity", "font-family", "font-size", "font-weight", "font-style")


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _num(value: float) -> str:
    text = f"{value:.7g}"
    return "0" if text == "-0" else text


def parse_matrix(text: str | None) -> Matrix:
    """'matrix(a,b,c,d,e,f)' (also translate/scale, as Qt may write) → the six numbers."""
    if not text:
        return IDENTITY
    out = IDENTITY
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        v = [float(x) for x in re.findall(_NUMBER, args)]
        if name == "matrix" and len(v) == 6:
            m: Matrix = (v[0], v[1], v[2], v[3], v[4], v[5])
        elif name == "translate" and v:
            m = (1.0, 0.0, 0.0, 1.0, v[0], v[1] if len(v) > 1 else 0.0)
        elif name == "scale" and v:
            m = (v[0], 0.0, 0.0, v[1] if len(v) > 1 else v[0], 0.0, 0.0)
        else:
            raise ValueError(f"unsupported SVG transform {text!r}")
        out = multiply(out, m)
    return out


def multiply(p: Matrix, q: Matrix) -> Matrix:
    """The matrix of applying ``q`` first, then ``p`` (SVG's ``transform="p q"``)."""
    a, b, c, d, e, f = p
    A, B, C, D, E, F = q
    return (a * A + c * B, b * A + d * B, a * C + c * D, b * C + d * D, a * E + c * F + e, b * E + d * F + f)


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def matrix_text(m: Matrix) -> str:
    return "matrix(" + ",".join(_num(v) for v in m) + ")"


def _points(text: str, m: Matrix) -> str:
    v = [float(x) for x in re.findall(_NUMBER, text)]
    pairs = (apply(m, x, y) for x, y in zip(v[0::2], v[1::2], strict=False))
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in pairs)


def transform_path(d: str, m: Matrix) -> str:
    """Absolute path data (M, L, C, Q, S, T, Z: what Qt writes) in the space of ``m``."""
    out: list[str] = []
    command = ""
    numbers: list[float] = []

    def flush() -> None:
        if not command:
            return
        if command in "Zz":
            out.append("Z")
            return
        if command not in _PAIR_COMMANDS or len(numbers) % 2:
            raise ValueError(f"path command {command!r} cannot be moved to output space")
        pts = [apply(m, x, y) for x, y in zip(numbers[0::2], numbers[1::2], strict=True)]
        out.append(command + " ".join(f"{_num(x)},{_num(y)}" for x, y in pts))

    for token in _TOKEN.findall(d):
        if token.isalpha():
            flush()
            command, numbers = token, []
        else:
            numbers.append(float(token))
    flush()
    return " ".join(out)


def _ellipse_path(cx: float, cy: float, rx: float, ry: float) -> str:
    """An ellipse as four cubic Béziers (exact under any affine map, within 0.03% of the curve)."""
    k = 0.5522847498
    return (
        f"M{cx + rx},{cy} "
        f"C{cx + rx},{cy + k * ry} {cx + k * rx},{cy + ry} {cx},{cy + ry} "
        f"C{cx - k * rx},{cy + ry} {cx - rx},{cy + k * ry} {cx - rx},{cy} "
        f"C{cx - rx},{cy - k * ry} {cx - k * rx},{cy - ry} {cx},{cy - ry} "
        f"C{cx + k * rx},{cy - ry} {cx + rx},{cy - k * ry} {cx + rx},{cy} Z"
    )


def _as_path(element: ET.Element) -> str:
    """Any basic shape's outline as path data in its own coordinates."""
    tag, g = _tag(element), element.get
    if tag == "path":
        return g("d", "")
    if tag in ("polyline", "polygon"):
        v = [float(x) for x in re.findall(_NUMBER, g("points", ""))]
        pts = " L".join(f"{x},{y}" for x, y in zip(v[0::2], v[1::2], strict=False))
        return ("M" + pts + (" Z" if tag == "polygon" else "")) if v else ""
    if tag == "line":
        return f"M{g('x1', '0')},{g('y1', '0')} L{g('x2', '0')},{g('y2', '0')}"
    if tag == "rect":
        x, y = float(g("x", "0")), float(g("y", "0"))
        w, h = float(g("width", "0")), float(g("height", "0"))
        return f"M{x},{y} L{x + w},{y} L{x + w},{y + h} L{x},{y + h} Z"
    if tag == "circle":
        r = float(g("r", "0"))
        return _ellipse_path(float(g("cx", "0")), float(g("cy", "0")), r, r)
    if tag == "ellipse":
        rx, ry = float(g("rx", "0")), float(g("ry", "0"))
        return _ellipse_path(float(g("cx", "0")), float(g("cy", "0")), rx, ry)
    raise ValueError(tag)


_SHAPE_ATTRS = ("d", "points", "x", "y", "width", "height", "rx", "ry", "r", "cx", "cy")
_SHAPE_ATTRS += ("x1", "y1", "x2", "y2")


def _to_output_space(element: ET.Element, m: Matrix) -> None:
    """A non-scaling stroked shape: its coordinates through ``m``, so the stroke is in output units."""
    own = parse_matrix(element.get("transform"))
    m = multiply(m, own)
    tag = _tag(element)
    if tag in ("polyline", "polygon"):
        element.set("points", _points(element.get("points", ""), m))
    else:
        d = transform_path(_as_path(element), m)
        for name in _SHAPE_ATTRS:
            element.attrib.pop(name, None)
        element.tag = f"{{{SVG_NS}}}path"
        element.set("d", d)
    element.attrib.pop("transform", None)
    element.attrib.pop("vector-effect", None)


def _carry_transform(element: ET.Element, m: Matrix) -> None:
    """Text, images and scaled strokes keep scaling with their group: they take its transform."""
    own = parse_matrix(element.get("transform"))
    total = multiply(m, own)
    if total == IDENTITY:
        element.attrib.pop("transform", None)
    else:
        element.set("transform", matrix_text(total))


def _merge_polylines(group: ET.Element) -> None:
    """Consecutive 2-point segments that continue each other become one polyline (one stroke, real joins)."""
    children = list(group)
    previous: ET.Element | None = None
    last_point: str | None = None
    for child in children:
        if _tag(child) != "polyline" or child.get("transform"):
            previous, last_point = None, None
            continue
        points = child.get("points", "").split()
        plain = child.attrib.keys() == {"points", "fill"}
        if previous is not None and points and points[0] == last_point and plain:
            previous.set("points", previous.get("points", "") + " " + " ".join(points[1:]))
            group.remove(child)
        else:
            previous = child if plain else None
        if previous is not None and points:
            last_point = points[-1]


Measure = Callable[[str, str, float, str, str], float]
"""(text, font-family, font-size in px, font-weight, font-style) → Qt's advance width in px."""

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _advance(element: ET.Element, measure: Measure, text: str) -> float:
    g = element.get
    return measure(
        text,
        g("font-family", ""),
        float(g("font-size", "12")),
        g("font-weight", "400"),
        g("font-style", "normal"),
    )


def _merge_text_runs(group: ET.Element, measure: Measure | None) -> None:
    """Neighbouring runs of one style that Qt placed end to end become one run.

    Qt splits a line at every break opportunity ("ε=1" + "e-08") and places each piece
    at its own x; a renderer with other font widths then overlaps or gaps the pieces.
    Whether two runs touch is measured with Qt's own font metrics (``measure``); runs in
    separate table cells do not touch and stay apart. Right-to-left text is left as Qt placed it.
    """
    if measure is None:
        return
    previous: ET.Element | None = None
    for child in list(group):
        text = child.text or ""
        if _tag(child) != "text" or len(child) or _RTL.search(text) or child.get("x") is None:
            previous = None
            continue
        if (
            previous is not None
            and all(previous.get(k) == child.get(k) for k in _TEXT_STYLE)
            and previous.get("transform") == child.get("transform")
        ):
            size = float(child.get("font-size", "12"))
            end = float(previous.get("x", "0")) + _advance(previous, measure, previous.text or "")
            if abs(end - float(child.get("x", "0"))) < 0.2 * size:
                previous.text = (previous.text or "") + text
                group.remove(child)
                continue
        previous = child


TextPath = Callable[[str, str, float, str, str, float, float], str]
"""(text, font-family, font-size px, font-weight, font-style, x, y) → path data of its glyphs."""

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_TEXT_ATTRS = ("x", "y", "font-family", "font-size", "font-weight", "font-style", _XML_SPACE)


#: Brackets and their mirror images (Unicode's Bidi_Mirrored pairs the app's text uses).
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
#: Letters and digits of left-to-right scripts: a run with one is strongly left to right.
_LTR = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]")


#: Direction marks and embeddings count as strong here: an LRM-marked "(η=0.02)" stays as is.
_LTR_MARKS = re.compile("[\u200e\u202a\u202d\u2066]")
_RTL_MARKS = re.compile("[\u200f\u202b\u202e\u2067]")
#: The end of an embedding or isolate: what follows is at the line's level again.
_POP = re.compile("[\u202c\u2069]")


def _strong(text: str, line: str) -> str | None:
    """A run's strong direction: "R" (right-to-left letters or marks), "L", ``line`` at the
    end of an embedding, or None (only neutrals). An isolate opened at the run's end holds
    none of its characters: a title's ": ⁦" before its isolated formula is neutral."""
    text = text.rstrip("\u2066\u2067\u2068")
    if _RTL.search(text) or _RTL_MARKS.search(text):
        return "R"
    if _LTR.search(text) or _LTR_MARKS.search(text):
        return "L"
    return line if _POP.search(text) else None


def drawn_runs(texts: list[str], rtl: bool) -> list[str]:
    """The characters Qt drew for each of a group's text runs, in order: a run of neutrals
    (brackets, punctuation, spaces) reversed, its brackets mirrored, where the bidi algorithm
    made it right to left.

    ``QSvgGenerator`` writes each run's characters, not its glyphs, and Qt splits a line where
    the direction changes: "تکانه (درس)" became the runs "تکانه", "(", "درس", ")", and the
    brackets outlined alone drew "تکانه) درس(" in the Persian SVG; a title's ": " between the
    Persian name and its formula was drawn ": " instead of " :". Qt draws a right-to-left
    run's characters from right to left, each bracket as its mirror image: " (" is drawn ") ".
    A neutral run takes the direction of the strong runs on both sides if they agree, else the
    line's (``rtl``; the group's ends count as the line's), as the bidi algorithm resolves
    neutrals. Qt writes a line's runs in logical or in reversed order; either way a run's
    neighbours are the same.
    """
    line = "R" if rtl else "L"
    strong = [_strong(t, line) for t in texts]
    out = []
    for i, text in enumerate(texts):
        if strong[i] is not None or text[::-1].translate(_MIRROR) == text:  # (the same either way)
            out.append(text)
            continue
        before = next((s for s in reversed(strong[:i]) if s), line)
        after = next((s for s in strong[i + 1 :] if s), line)
        side = before if before == after else line
        out.append(text[::-1].translate(_MIRROR) if side == "R" else text)
    return out


def _text_to_paths(root: ET.Element, text_path: TextPath, rtl: bool = False) -> None:
    """Each text run as the outlines of the glyphs Qt drew, so no renderer needs the font
    (brackets as drawn in right-to-left text: ``drawn_runs``; ``rtl``: the interface's lines
    run right to left).

    The words stay in the file as the path's ``<title>`` (and ``aria-label``): searchable,
    read aloud, and shown as a tooltip in browsers.
    """
    drawn: dict[int, str] = {}
    for parent in root.iter():
        runs = [e for e in parent if _tag(e) == "text" and not len(e)]
        for element, text in zip(runs, drawn_runs([e.text or "" for e in runs], rtl), strict=True):
            drawn[id(element)] = text
    for element in list(root.iter()):
        if _tag(element) != "text" or len(element):
            continue
        text = element.text or ""
        g = element.get
        d = text_path(
            drawn.get(id(element), text),
            g("font-family", ""),
            float(g("font-size", "12")),
            g("font-weight", "400"),
            g("font-style", "normal"),
            float(g("x", "0")),
            float(g("y", "0")),
        )
        for name in _TEXT_ATTRS:
            element.attrib.pop(name, None)
        element.tag = f"{{{SVG_NS}}}path"
        element.text = None
        element.set("stroke", "none")
        element.set("d", d or "M0,0")
        words = text.strip(" \u200e\u200f\u2066\u2067\u2068\u2069")
        if words:
            element.set("aria-label", words)
            title = ET.SubElement(element, f"{{{SVG_NS}}}title")
            title.text = words


def font_family_text(family: str, resolve_family: Callable[[str], str] | None) -> str:
    """A family list that works elsewhere: what Qt used, the name asked for, then fallbacks."""
    names: list[str] = []
    for part in family.split(","):
        name = part.strip().strip("'\"")
        if not name:
            continue
        resolved = resolve_family(name) if resolve_family else name
        generic = QT_GENERIC.get(name.lower())
        for candidate in (resolved, name if generic is None else None):
            if candidate and candidate.lower() not in QT_GENERIC and candidate not in names:
                names.append(candidate)
        if generic and generic not in FALLBACK_FAMILIES and generic not in names:
            names.append(generic)
    for fallback in FALLBACK_FAMILIES:
        if fallback not in names:
            names.append(fallback)
    return ", ".join(n if n in ("sans-serif", "serif", "monospace") else f"'{n}'" for n in names)


def output_space_svg(
    data: bytes,
    size: tuple[int, int] | None = None,
    resolve_family: Callable[[str], str] | None = None,
    measure: Measure | None = None,
    text_path: TextPath | None = None,
    rtl: bool = False,
) -> bytes:
    """Rewrite ``QSvgGenerator`` output so it renders the same in librsvg, CairoSVG, Inkscape and browsers.

    ``size``: the width and height (pixels) the picture is meant for; the viewBox is kept.
    ``rtl``: the picture's text lines run right to left (a Persian export).
    """
    root = ET.fromstring(data)
    if size is not None:
        root.set("width", str(size[0]))
        root.set("height", str(size[1]))
    families: dict[str, str] = {}
    if text_path is None:  # text stays text: join the runs Qt placed end to end
        for group in [g for g in root.iter() if _tag(g) == "g"]:
            _merge_text_runs(group, measure)

    def visit(element: ET.Element, m: Matrix) -> None:
        for child in list(element):
            tag = _tag(child)
            if tag == "g":
                inner = multiply(m, parse_matrix(child.get("transform")))
                child.attrib.pop("transform", None)
                visit(child, inner)
                continue
            if tag in _SHAPES and child.get("vector-effect") == "non-scaling-stroke":
                try:
                    _to_output_space(child, m)
                    continue
                except ValueError:
                    child.attrib.pop("vector-effect", None)  # unknown path data: scale as a normal stroke
            if child.get("vector-effect") == "none":
                del child.attrib["vector-effect"]  # the default; one less attribute to trip a renderer
            if tag not in ("title", "desc", "defs"):
                _carry_transform(child, m)

    visit(root, IDENTITY)
    if text_path is not None:
        _text_to_paths(root, text_path, rtl)
    for element in root.iter():
        family = element.get("font-family")
        if family is not None:
            if family not in families:
                families[family] = font_family_text(family, resolve_family)
            element.set("font-family", families[family])
        if _tag(element) == "g" and "stroke-dasharray" not in element.attrib:
            _merge_polylines(element)
    for parent in list(root.iter()):
        for group in [g for g in parent if _tag(g) == "g" and len(g) == 0]:
            parent.remove(group)  # Qt writes a group per state change, most of them empty
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + body + "\n").encode()
