"""How the replay page reads its payloads, checked in headless Chromium: its own msgpack
decoder (js/unpack.js) against msgpack-python, on every type the build writes and on the
payloads of a built site, and its refusals of broken data."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import msgpack
import pytest
from site_helpers import CHROMIUM, DESKTOP, Page, browser_fixture, write_sim

from sitegen.build import build_site
from sitegen.pack import read_data_file

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")

chromium = browser_fixture()

# Decodes base64 msgpack in the page, bin values as {"bin": [bytes]} so that JSON can carry them.
UNPACK = """(b64) => JSON.stringify(RW.unpack(Uint8Array.fromBase64(b64)),
    (k, v) => (v instanceof Uint8Array ? { bin: Array.from(v) } : v))"""

EVERY_TYPE = {
    "nil": None,
    "bools": [True, False],
    "ints": [0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**53 - 1],
    "negative": [-1, -32, -33, -128, -129, -32768, -32769, -(2**31), -(2**31) - 1, -(2**53) + 1],
    "floats": [0.5, -1.25, 1e300],
    "strings": [
        "",
        "a",
        "abcdefghijkl",
        "abcdefghijklm",
        "中文",
        "x" * 31,
        "y" * 32,
        "z" * 300,
        "😀 ok",
        "x" * 70000,
    ],
    "bin": [b"", b"\x00\xff", bytes(range(256)) * 2, bytes(70000)],
    "lists": [[], list(range(15)), list(range(16)), list(range(70000))],
    "maps": [{}, {str(k): k for k in range(15)}, {str(k): k for k in range(16)}],
    "__proto__": {"__proto__": 1, "constructor": "kept"},
    "nested": {"a": [{"b": [[], {}]}]},
}


def _plain(value):
    """msgpack-python's value as the page's JSON gives it back (bin as {"bin": [...]})."""
    if isinstance(value, bytes):
        return {"bin": list(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


@pytest.fixture(scope="module")
def page(chromium, tmp_path_factory):
    site = build_site(write_sim(tmp_path_factory.mktemp("payloads") / "p", steps=60))
    page = Page(chromium, site, "", **DESKTOP)
    yield page, site
    page.close()


def _unpack(page: Page, packed: bytes):
    return json.loads(page.js(UNPACK, base64.b64encode(packed).decode("ascii")))


def test_every_type_the_build_writes_decodes_as_msgpack_python_reads_it(page):
    page, _ = page
    for name, value in EVERY_TYPE.items():
        packed = msgpack.packb(value, use_bin_type=True)
        assert _unpack(page, packed) == _plain(value), name
    # the key "__proto__" is a plain key of the object, its prototype untouched
    assert page.js(
        """() => { const o = RW.unpack(Uint8Array.of(0x81, 0xa9, ...Array.from('__proto__',
          (c) => c.charCodeAt(0)), 0x01)); return [Object.keys(o), Object.getPrototypeOf(o)
          === Object.prototype, o.__proto__ === 1]; }"""
    ) == [["__proto__"], True, True]


def test_the_payloads_of_a_site_decode_as_the_build_wrote_them(page):
    page, site = page
    for path in sorted((site / "data").glob("*.js")):
        key, value = read_data_file(path)
        packed = msgpack.packb(value, use_bin_type=True)
        assert _unpack(page, packed) == _plain(value), key


@pytest.mark.parametrize(
    "packed, error",
    [
        (msgpack.packb("abc")[:-1], "ends early"),
        (msgpack.packb([1, 2])[:-1], "ends early"),
        (msgpack.packb(1) + b"\x01", "1 bytes after the value"),
        (b"\xc1", "type 0xc1 is not one we write"),
        (b"\xd4\x00\x00", "type 0xd4 is not one we write"),  # an extension type
    ],
)
def test_broken_data_is_refused(page, packed, error):
    page, _ = page
    got = page.js(
        "(b64) => { try { RW.unpack(Uint8Array.fromBase64(b64)); return 'decoded'; }"
        " catch (e) { return e.message; } }",
        base64.b64encode(packed).decode("ascii"),
    )
    assert error in got


def test_the_page_does_not_load_the_msgpack_library(page):
    page, site = page
    assert not any("msgpack" in url for url in page.requests)
    assert "msgpack.min.js" not in (site / "index.html").read_text(encoding="utf-8")
    assert Path(site / "vendor" / "msgpack" / "msgpack.min.js").is_file()  # the report's
