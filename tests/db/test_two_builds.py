"""Two builds of the whole app in two tabs of one origin (issue 10, item 7).

The site is built twice: the build every test uses, and a build whose domain declares
one more schema version (a new bookkeeping table). A tab on the first build is open and
has written; a tab on the second build opens and upgrades the database; then the first
tab writes again, the way a person does. It keeps working (its tables still fit the new
schema), and nothing either tab wrote is lost.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.e2e._support import open_app
from tools.paths import ROOT

_STORED = """async () => {
  const db = await new Promise((ok, fail) => {
    const r = indexedDB.open("lorekeeper");
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  try {
    const names = await new Promise((ok, fail) => {
      const r = db.transaction("characters").objectStore("characters").getAll();
      r.onsuccess = () => ok(r.result.map((c) => c.name).sort());
      r.onerror = () => fail(r.error);
    });
    return [db.version, Array.from(db.objectStoreNames), names];
  } finally {
    db.close();
  }
}"""


def _current_version() -> int:
    from app.domain._features import default_registry

    return default_registry().current_version


def _build_with_one_more_version(workdir: Path, version: int) -> Path:
    """A copy of the sources whose domain declares ``version`` (a new local table), built."""
    src = workdir / "src"
    src.mkdir()
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "app", src / "app", ignore=skip)
    shutil.copytree(ROOT / "tools", src / "tools", ignore=skip)
    (src / "static").mkdir()
    for item in (ROOT / "static").iterdir():
        if item.name == "vendor":  # the runtime files: shared, never changed
            (src / "static" / "vendor").symlink_to(item)
        elif item.is_dir():
            shutil.copytree(item, src / "static" / item.name)
        else:
            shutil.copy2(item, src / "static" / item.name)
    for name in ("vendor", ".cache"):
        (src / name).symlink_to(ROOT / name)
    for name in ("index.html", "pyscript.toml"):
        shutil.copy2(ROOT / name, src / name)
    with (src / "app" / "domain" / "_features.py").open("a", encoding="utf-8") as f:
        f.write(
            "\n\n# the test's newer build: one more schema version\n"
            "from ._feature import LocalTable as _LocalTable\n"
            "FEATURES = (*FEATURES, Feature('newer_build', api=lambda _repositories: None, "
            f"local_tables=(_LocalTable('newer_build_notes', 'id, at', {version}),)))\n"
        )
    site = workdir / "site"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from tools.build import build_site; "
            "build_site(Path(sys.argv[1]), quiet=True)",
            str(site),
        ],
        cwd=src,
        env={"PYTHONPATH": str(src), "PATH": "/usr/local/bin:/usr/bin:/bin"},
        check=True,
    )
    return site


@pytest.fixture(scope="module")
def builds() -> Iterator[tuple[Path, Path, int]]:
    """(this build, the newer build, the newer build's schema version)."""
    from tools.browser import shared_site

    version = _current_version() + 1
    workdir = Path(tempfile.mkdtemp(prefix="lk-two-builds-"))
    try:
        yield shared_site(), _build_with_one_more_version(workdir, version), version
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _create(page: Any, name: str) -> None:
    field = page.get_by_label("New character")
    field.fill(name)
    field.press("Enter")
    expect(page.get_by_role("link", name=name)).to_be_visible()


@pytest.mark.e2e
def test_a_tab_on_the_previous_build_keeps_working_after_a_newer_build_upgrades(
    builds: tuple[Path, Path, int],
) -> None:
    from tools.browser import shared_browser
    from tools.server import StaticServer

    this_build, newer_build, newer_version = builds
    requests: list[str] = []
    with StaticServer({"/old/": this_build, "/new/": newer_build}) as server:
        context = shared_browser().new_context()
        context.set_default_timeout(60_000)
        context.on("request", lambda request: requests.append(request.url))
        try:
            old = context.new_page()
            open_app(old, server.url("/old/"))
            _create(old, "Before")
            version_before = old.evaluate(_STORED)[0]
            assert version_before == (newer_version - 1) * 10

            new = context.new_page()
            open_app(new, server.url("/new/"))  # upgrades the database: the old tab closes
            version, stores, names = new.evaluate(_STORED)
            assert version == newer_version * 10
            assert "newer_build_notes" in stores
            assert names == ["Before"]

            _create(old, "After")  # the tab on the previous build writes again
            expect(new.get_by_role("link", name="After")).to_be_visible()  # and the other sees
            expect(old.get_by_role("link", name="Before")).to_be_visible()
            assert new.evaluate(_STORED)[2] == ["After", "Before"]
            assert old.get_by_role("alert").count() == 0
        finally:
            context.close()
    foreign = [u for u in requests if urlsplit(u).hostname not in (None, "127.0.0.1")]
    assert not foreign, f"requests left 127.0.0.1: {foreign[:5]}"
