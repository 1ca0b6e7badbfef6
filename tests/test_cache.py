"""The caches in build/.cache are data only, versioned and authenticated: a book shipped with its own
build/.cache (a crafted pickle, a forged entry, a forged PDF) cannot run code or change the output."""
from __future__ import annotations

import json
import os
import pickle
import stat
from pathlib import Path

import pytest

from publish import build as pipeline
from publish import cache, layout, serial
from publish.render import pdf as pdf_module
from publish.cache import ConvertCache
from publish.convert import Converted
from publish.diagnostics import BookError
from publish.read import read_book
from publish.styles import Styles
from publish.write import sweep

from .conftest import BOOKS, REPO
from .helpers import copy_book


@pytest.fixture(autouse=True)
def key_home(tmp_path, monkeypatch):
    """The per-user cache key lives in a temporary XDG_CACHE_HOME, never in the real home."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def book(tmp_path):
    copy_book(BOOKS / "minimal", tmp_path / "book")
    return tmp_path / "book"


def _sources(root: Path) -> list:
    return list(read_book(root).sources.values())


def _entries(root: Path) -> list[Path]:
    return sorted((root / "build" / ".cache" / "convert").iterdir())


def _fill(root: Path) -> list[Path]:
    """Load the book once so every source has a cache entry; the entries."""
    pipeline.load(root, ConvertCache(root))
    return _entries(root)


class Plant:
    """Unpickling this runs a shell command that creates `marker`."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch '{self.marker}'",)


def test_a_crafted_pickle_in_the_cache_is_never_run(book, tmp_path):
    marker = tmp_path / "pwned"
    crafted = pickle.dumps(Plant(marker))
    probe = ConvertCache(book)
    for source in _sources(book):
        path = probe.dir / probe.key(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(crafted)
    pipeline.build(book, ("html",))
    assert not marker.exists()
    assert (book / "build" / "en" / "html" / "index.html").is_file()
    entries = _entries(book)
    assert len(entries) == len(_sources(book))
    assert all(p.read_bytes().startswith(b"publish-cache ") for p in entries)  # overwritten with real entries


def _seal(name: str, payload: bytes) -> bytes:
    return cache.seal(cache.secret(), "convert", name, payload)


CORRUPT = {
    "truncated": lambda name, data: data[: len(data) // 2],
    "empty": lambda name, data: b"",
    "garbage": lambda name, data: bytes(range(256)) * 4,
    "bad JSON, authentic": lambda name, data: _seal(name, b'{"Converted": [[{"Para": ['),
    "not UTF-8, authentic": lambda name, data: _seal(name, b"\xff\xfe{}"),
    "foreign class, authentic": lambda name, data: _seal(name, b'{"posix.system": ["touch x"]}'),
    "wrong field type, authentic": lambda name, data: _seal(name, b'{"Converted": [1, [], []]}'),
    "wrong field count, authentic": lambda name, data: _seal(name, b'{"Converted": [[], []]}'),
    "a dict inside, authentic": lambda name, data: _seal(name, b'{"Converted": [[{"a": 1, "b": 2}], [], []]}'),
    "a float inside, authentic": lambda name, data: _seal(name, b'{"Converted": [[1.5], [], []]}'),
    "NaN, authentic": lambda name, data: _seal(name, b'{"Converted": [[NaN], [], []]}'),
    "too deep, authentic": lambda name, data: _seal(name, b'{"Converted": [' + b"[" * 100_000 + b"]" * 100_000 + b", [], []]}"),
    "another type, authentic": lambda name, data: _seal(name, b'{"Text": ["hello"]}'),
}


@pytest.mark.parametrize("case", CORRUPT)
def test_a_corrupt_entry_is_a_miss_then_rebuilt(book, case):
    fresh, _ = pipeline.load(book)
    entries = _fill(book)
    good = {p: p.read_bytes() for p in entries}
    for path in entries:
        path.write_bytes(CORRUPT[case](path.name, good[path]))
    probe = ConvertCache(book)
    assert not any(probe.has(source) for source in _sources(book))
    cached = ConvertCache(book)
    assert pipeline.load(book, cached)[0] == fresh
    assert cached.hits == 0
    assert {p: p.read_bytes() for p in _entries(book)} == good  # rebuilt and overwritten


def _forge(payload: bytes) -> bytes:
    """The payload with a paragraph's text changed: still a well-formed model."""
    assert b'"Text":["' in payload
    return payload.replace(b'"Text":["', b'"Text":["FORGED ', 1)


def test_an_entry_with_a_wrong_mac_is_ignored(book):
    fresh, _ = pipeline.load(book)
    for path in _fill(book):
        header, _, payload = path.read_bytes().partition(b"\n")
        path.write_bytes(header + b"\n" + _forge(payload))
    cached = ConvertCache(book)
    loaded, _ = pipeline.load(book, cached)
    assert loaded == fresh and cached.hits == 0
    assert "FORGED" not in repr(loaded)


def test_the_same_forgery_with_the_right_key_would_be_served(book):
    """The counterpart of the test above: it is the MAC, and nothing else, that refuses the forgery."""
    for path in _fill(book):
        payload = path.read_bytes().partition(b"\n")[2]
        path.write_bytes(_seal(path.name, _forge(payload)))
    cached = ConvertCache(book)
    loaded, _ = pipeline.load(book, cached)
    assert cached.hits == len(_sources(book)) and "FORGED" in repr(loaded)


def test_an_entry_planted_with_another_users_key_is_ignored(book, key_home, tmp_path, monkeypatch):
    entries = _fill(book)  # made with this user's key
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    cached = ConvertCache(book)
    assert not any(cached.has(s) for s in _sources(book))
    assert len(entries) == len(_sources(book))


@pytest.mark.parametrize("change", ["format", "code"])
def test_an_entry_of_another_version_is_ignored(book, monkeypatch, change):
    fresh, _ = pipeline.load(book)
    entries = _fill(book)
    with monkeypatch.context() as patch:
        if change == "format":
            patch.setattr(cache, "FORMAT", b"0")
        else:
            patch.setattr(cache, "code_version", lambda: "0" * 64)
        for path in entries:  # authentic, but sealed by another version of publish
            path.write_bytes(_seal(path.name, path.read_bytes().partition(b"\n")[2]))
        if change == "format":  # (another code version would look under other names: the key includes it)
            assert all(ConvertCache(book).has(s) for s in _sources(book))  # that version would take them
    assert all(p.read_bytes().split(b" ")[1:3] != [b"1", cache.code_version().encode()] for p in entries)
    cached = ConvertCache(book)
    assert not any(cached.has(s) for s in _sources(book))
    assert pipeline.load(book, cached)[0] == fresh


def test_an_entry_that_is_a_symlink_or_a_device_is_not_read(book, tmp_path):
    entries = _fill(book)
    outside = tmp_path / "outside"
    outside.write_bytes(entries[0].read_bytes())
    entries[0].unlink()
    entries[0].symlink_to(outside)  # an authentic entry, but reached through a link
    entries[1].unlink()
    entries[1].symlink_to("/dev/zero")
    cached = ConvertCache(book)
    assert sum(cached.has(s) for s in _sources(book)) == len(entries) - 2


def test_a_symlinked_cache_directory_disables_the_cache(book, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (book / "build").mkdir()
    (book / "build" / ".cache").symlink_to(elsewhere)
    with pytest.raises(BookError, match=r"\[build-unsafe\]"):  # the build refuses it (tests/test_confinement.py)
        pipeline.build(book, ("html",))
    assert list(elsewhere.iterdir()) == []
    assert ConvertCache(book).dir is None


def test_the_flagship_round_trips_through_the_cache(tmp_path):
    first_cache = ConvertCache(None, tmp_path / "convert")
    first, diagnostics = pipeline.load(REPO, first_cache)
    assert first is not None and first_cache.hits == 0
    second_cache = ConvertCache(None, tmp_path / "convert")
    second, again = pipeline.load(REPO, second_cache)
    assert second_cache.hits == len(list((tmp_path / "convert").iterdir())) > 10
    assert second == first and again == diagnostics
    assert type(second.units) is tuple and type(second.units[0].blocks) is tuple


def test_serial_round_trips_every_model_class_and_refuses_others():
    book, _ = pipeline.load(BOOKS / "minimal")
    assert serial.decode(serial.encode(book), type(book)) == book
    assert {type(u.blocks[0]).__name__ for u in book.units if u.blocks} <= set(serial.CLASSES)
    with pytest.raises(TypeError):
        serial.encode(Converted((Path("x"),), (), ()))
    with pytest.raises(serial.SerialError):
        serial.decode(b'{"Pos": ["a", true]}', type(book.units[0].pos))  # a bool is not a line number


def test_the_key_is_private_and_made_once(key_home):
    first = cache.secret()
    path = key_home / "publish" / "cache-key"
    assert len(first) == 32 and path.read_bytes() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cache.secret() == first
    assert [p.name for p in path.parent.iterdir()] == ["cache-key"]  # no temporary file left


def test_without_a_key_the_build_runs_without_a_cache(book, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert cache.secret() is None
    pipeline.build(book, ("html",))
    assert (book / "build" / "en" / "html" / "index.html").is_file()
    assert not (book / "build" / ".cache").exists()


def test_sweep_removes_temporary_files_of_a_killed_cache_write(book, tmp_path):
    entries = _fill(book)
    leftovers = [entries[0].parent / f".{entries[0].name}.k3j2.tmp", book / "build" / ".cache" / "layout" / ".x.pdf.a1.tmp"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / ".keep.tmp").write_bytes(b"not ours")
    (entries[0].parent / "linked").symlink_to(elsewhere)
    sweep(book / "build")
    assert not any(path.exists() for path in leftovers)
    assert _entries(book) == sorted([*entries, entries[0].parent / "linked"])
    assert (elsewhere / ".keep.tmp").exists()  # never through a symlink


def test_a_build_never_sweeps_the_temporary_files_of_another_running_build(book):
    """Two builds of one book (say `publish serve` and `make pdf` into another folder) share the caches:
    the sweep of what a killed build left runs only while no other build of the book holds its lock."""
    from publish.staging import BookLock

    swept = []
    with BookLock(book) as running, BookLock(book) as starting:
        assert starting.sweep(lambda: swept.append("starting")) is False  # the other build is running
        assert running.sweep(lambda: swept.append("running")) is False
    with BookLock(book) as alone:
        assert alone.sweep(lambda: swept.append("alone")) is True
        with BookLock(book) as later:  # the shared lock is held again after a sweep
            assert later.sweep(lambda: swept.append("later")) is False
    assert swept == ["alone"]


# The layout cache: a PDF and its page map, served instead of laying the book out --------------------
@pytest.fixture
def laid_out(book, monkeypatch):
    """A Layout of the minimal book whose (slow) layout engine is replaced by a counter."""
    made = []

    def render(book_, styles, labels, *, variant, base_url, timings, **_):
        made.append(variant)
        return b"%PDF-1.7 real " + str(len(made)).encode(), {"pages": [{"page": 1}]}

    monkeypatch.setattr(pdf_module, "render_pdf", render)  # the layout imports it when it lays out
    model, _ = pipeline.load(book)
    styles = Styles.for_book(book)
    return lambda: layout.Layout(book, styles), model, styles.labels("en"), made


def test_the_layout_cache_serves_its_own_entries(laid_out):
    new, model, labels, made = laid_out
    first = new().pdf(model, labels)
    again = new()
    assert again.pdf(model, labels) == first == (b"%PDF-1.7 real 1", {"pages": [{"page": 1}]})
    assert again.hits == ["en/ua"] and made == ["ua"]


@pytest.mark.parametrize("forgery", ["pdf", "map", "planted", "old-layout"])
def test_a_forged_layout_pdf_is_not_served(laid_out, book, tmp_path, monkeypatch, forgery):
    new, model, labels, made = laid_out
    first = new()
    first.pdf(model, labels)
    (entry,) = first.dir.iterdir()
    header, _, payload = entry.read_bytes().partition(b"\n")
    if forgery == "pdf":
        entry.write_bytes(header + b"\n" + payload.replace(b"real", b"FORGED"))
    elif forgery == "map":
        entry.write_bytes(header + b"\n" + payload.replace(b'"page": 1', b'"page": 9'))
    elif forgery == "planted":  # a whole entry made by someone else's publish, shipped with the book
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
        entry.write_bytes(cache.seal(cache.secret(), "layout", entry.name, b'{}\n%PDF-1.7 FORGED'))
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    else:  # what the previous layout cache served unchecked: KEY.pdf next to KEY.json
        key = entry.name.removesuffix(".layout")
        entry.unlink()
        (first.dir / f"{key}.pdf").write_bytes(b"%PDF-1.7 FORGED")
        (first.dir / f"{key}.json").write_text(json.dumps({"pages": []}))
    second = new()
    pdf, page_map = second.pdf(model, labels)
    assert (pdf, page_map) == (b"%PDF-1.7 real 2", {"pages": [{"page": 1}]})
    assert second.hits == [] and made == ["ua", "ua"]
    assert new().pdf(model, labels)[0] == b"%PDF-1.7 real 2"  # the rebuilt entry replaced the forgery


def test_two_processes_that_miss_one_entry_lay_the_book_out_once(book, tmp_path, monkeypatch):
    """`publish serve` beside `make pdf`, or two test workers, asking for the same cold layout: the
    second waits for the first's entry (publish.entrylock) and reads it; no lock file is left."""
    import multiprocessing
    import time

    log = tmp_path / "layouts"

    def render(book_, styles, labels, *, variant, base_url, timings, **_):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        time.sleep(1.5)
        return b"%PDF-1.7 laid out by " + str(os.getpid()).encode(), {"pages": [{"page": 1}]}

    monkeypatch.setattr(pdf_module, "render_pdf", render)
    model, _ = pipeline.load(book)
    styles = Styles.for_book(book)

    def lay_out(pipe):
        made = layout.Layout(book, styles)
        pipe.send((made.pdf(model, styles.labels("en")), made.made, made.hits))

    fork = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for _ in range(2):
        ours, theirs = fork.Pipe()
        process = fork.Process(target=lay_out, args=(theirs,))
        process.start()
        pipes.append(ours)
        processes.append(process)
        time.sleep(0.3)
    results = [pipe.recv() for pipe in pipes]
    for process in processes:
        process.join(30)
    assert len(log.read_text().split()) == 1  # one layout
    assert results[0][0] == results[1][0] and results[0][0][0].startswith(b"%PDF-1.7 laid out by ")
    assert sorted((made, hits) for _, made, hits in results) == [([], ["en/ua"]), (["en/ua"], [])]
    assert [p.suffix for p in (book / "build" / ".cache" / "layout").iterdir()] == [".layout"]


def test_a_workers_lock_is_held_until_its_parent_has_written_the_entry(tmp_path):
    """A parallel build's worker lays out, its parent writes the entry: the lock lasts until then
    (`written`), and a waiter gives up after its wait rather than hang."""
    from publish import entrylock

    with entrylock.EntryLock(tmp_path, "k.layout") as worker:
        assert worker.fd is not None
        worker.keep = True
    try:
        with entrylock.EntryLock(tmp_path, "k.layout", wait=0.5) as waiter:
            assert waiter.fd is None  # the worker still holds it
        entrylock.written(tmp_path, "k.layout")
        with entrylock.EntryLock(tmp_path, "k.layout", wait=0.5) as later:
            assert later.fd is not None
        assert list(tmp_path.iterdir()) == []
    finally:
        os.close(entrylock._kept.pop())
