"""More counterparts of Dexie's ``test/tests-whereclause.js`` (WhereClause API).

Each test names the Dexie test it follows. The fixture is Dexie's: its tables and its
populated folders (ids 1-9) and files (ids 1-5).
"""

from collections.abc import Callable

import pytest

from app.db import Collection
from app.db.errors import DataError, SchemaError

from .conftest import unique_name

RUN_IN_BROWSER = True

STORES = {
    "folders": "++id, &path",
    "files": "++id, filename, extension, [filename+extension], folderId",
    "people": "[name+number], name, number",
    "friends": "++id, name, age",
    "chart": "[patno+row+col], patno",
    "chaps": "++id, [name+number+age]",
    "multiMulti": "id, *tags, *categories",
}

FOLDERS = [
    {"path": "/", "description": "Root folder"},
    {"path": "/usr"},
    {"path": "/usr/local"},
    {"path": "/usr/local/bin"},
    {"path": "/usr/local/src"},
    {"path": "/usr/local/var"},
    {"path": "/USR/local/VAR"},
    {"path": "/var"},
    {"path": "/var/bin"},
]
FILES = [
    {"filename": "Hello", "folderId": 4},
    {"filename": "hello", "extension": ".exe", "folderId": 4},
    {"filename": "world", "extension": ".js", "folderId": 5},
    {"filename": "README", "extension": ".TXT", "folderId": 5},
    {"filename": "hello-there", "extension": ".exe", "folderId": 9},
]


@pytest.fixture
async def wdb(make_db):
    db = make_db(unique_name("dexie-where-more"))
    db.version(2).stores(STORES)
    assert await db.folders.bulk_add([dict(f) for f in FOLDERS]) == 9
    assert await db.files.bulk_add([dict(f) for f in FILES]) == 5
    return db


def _paths(folders: list[dict]) -> list[str]:
    return [f["path"] for f in folders]


def _names(files: list[dict]) -> list[str]:
    return [f["filename"] for f in files]


Mippler = Callable[[Collection], Collection]
MIPPLERS: list[Mippler] = [lambda c: c, lambda c: c.reverse()]


async def _run_starts_with_any_of(db, op: str, mippler: Mippler, expected: tuple) -> None:
    """Dexie's ``runTheTests(mippler)`` of 'startsWithAnyOf()' and its ignore-case twin."""
    first, second = expected

    def where(*args):
        return mippler(getattr(db.folders.where("path"), op)(*args))

    assert sorted(_paths(await where("/usr/local", "/var").to_array())) == sorted(first)
    assert sorted(_paths(await where(["/usr/local/", "/var/"]).to_array())) == sorted(second)
    assert await where([]).count() == 0
    assert await where("/var", "/var", "/var").count() == 2
    assert await where("").count() == await mippler(db.folders.to_collection()).count()
    assert await where("nonexisting").count() == 0
    with pytest.raises(DataError):
        await where([None, "/"]).to_array()


STARTS_WITH_ANY_OF = (
    ["/usr/local", "/usr/local/bin", "/usr/local/src", "/usr/local/var", "/var", "/var/bin"],
    ["/usr/local/bin", "/usr/local/src", "/usr/local/var", "/var/bin"],
)
STARTS_WITH_ANY_OF_IGNORE_CASE = (
    ["/USR/local/VAR", *STARTS_WITH_ANY_OF[0]],
    ["/USR/local/VAR", *STARTS_WITH_ANY_OF[1]],
)


@pytest.mark.parametrize(
    ("op", "expected"),
    [
        ("starts_with_any_of", STARTS_WITH_ANY_OF),
        ("starts_with_any_of_ignore_case", STARTS_WITH_ANY_OF_IGNORE_CASE),
    ],
    ids=["startsWithAnyOf", "startsWithAnyOfIgnoreCase"],
)
async def test_starts_with_any_of(wdb, op, expected):
    """'startsWithAnyOf()', 'startsWithAnyOfIgnoreCase()': plain, reversed, and inside a
    transaction."""
    for mippler in MIPPLERS:
        await _run_starts_with_any_of(wdb, op, mippler, expected)
    async with wdb.transaction("r", wdb.folders, wdb.files):
        await _run_starts_with_any_of(wdb, op, MIPPLERS[0], expected)


async def test_any_of(wdb):
    """'anyOf()' (with the files' full paths through their folders)."""
    async with wdb.transaction("r", wdb.files, wdb.folders):
        a = (
            await wdb.files.where("filename")
            .any_of("hello", "hello-there", "README", "gösta")
            .to_array()
        )
        assert _names(a) == ["README", "hello", "hello-there"]
        paths = []
        for file in a:
            folder = await wdb.folders.get(file["folderId"])
            paths.append(folder["path"] + "/" + file["filename"] + file.get("extension", ""))
        assert paths == [
            "/usr/local/src/README.TXT",
            "/usr/local/bin/hello.exe",
            "/var/bin/hello-there.exe",
        ]


async def test_any_of_integers_and_an_empty_list(wdb):
    """'anyOf(integerArray)', 'anyOf(emptyArray)'."""
    await wdb.files.put({"id": 9000, "filename": "new file 1", "folderId": 1})
    await wdb.files.put({"id": 10000, "filename": "new file 2", "folderId": 1})
    assert [f["id"] for f in await wdb.files.where("id").any_of([9000, 11000]).to_array()] == [9000]
    assert await wdb.files.where("id").any_of([]).to_array() == []


async def test_equals_ignore_case(wdb):
    """'equalsIgnoreCase()'."""
    assert _names(await wdb.files.where("filename").equals_ignore_case("hello").to_array()) == [
        "Hello",
        "hello",
    ]


async def test_equals_ignore_case_among_many_names(wdb):
    """'equalsIgnoreCase() 2'."""
    folder_id = await wdb.folders.add({"path": "/etc", "description": "Slasktratten"})
    filenames = [
        "", "\t ", "AA", "AAron", "APAN JAPAN", "APAN japaö", "APGALEN", "APaLAT",
        "APaÖNSKAN", "APalster", "Aaron", "Apan JapaN", "Apan Japaa", "Apan Japan", "Gösta",
        "apan JA", "apan JAPA", "apan JAPAA", "apan JAPANer", "apan JAPAÖ", "apan japan",
        "apan japanER", "östen",
    ]  # fmt: skip
    async with wdb.transaction("rw", wdb.files):
        for name in filenames:
            await wdb.files.add({"filename": name, "folderId": folder_id})
        a = await wdb.files.where("filename").equals_ignore_case("apan japan").to_array()
        assert _names(a) == ["APAN JAPAN", "Apan JapaN", "Apan Japan", "apan japan"]


async def test_equals_ignore_case_first_key_shorter_than_needle(wdb):
    """'equalsIgnoreCase() 3 (first key shorter than needle)' (Dexie's data)."""
    async with wdb.transaction("rw", wdb.files):
        await wdb.files.clear()
        for name in [
            "Hello-there-",
            "hello-there-",
            "hello-there-everyone",
            "hello-there-everyone-of-you!",
        ]:
            await wdb.files.add({"filename": name, "folderId": 1})
        coll = wdb.files.where("filename").equals_ignore_case("hello-there-everyone")
        assert _names(await coll.to_array()) == ["hello-there-everyone"]
        coll = wdb.files.where("filename").equals_ignore_case("hello-there-everyone")
        assert _names(await coll.reverse().to_array()) == ["hello-there-everyone"]


async def test_starts_with_ignore_case(wdb):
    """'startsWithIgnoreCase()'."""
    async with wdb.transaction("r", wdb.folders):
        count = await wdb.folders.count()
        assert len(await wdb.folders.where("path").starts_with_ignore_case("/").to_array()) == count
        assert len(await wdb.folders.where("path").starts_with_ignore_case("/usr").to_array()) == 6
        coll = wdb.folders.where("path").starts_with_ignore_case("/usr").reverse()
        assert len(await coll.to_array()) == 6


async def test_compound_index(wdb):
    """'compound-index'."""
    async with wdb.transaction("r", wdb.files):
        a = await wdb.files.where("[filename+extension]").equals(["README", ".TXT"]).to_array()
        assert _names(a) == ["README"]


async def test_compound_index_with_any_of(wdb):
    """'Issue #31 - Compound Index with anyOf' (Dexie's files)."""
    a = (
        await wdb.files.where("[filename+extension]")
        .any_of([["hello", ".exe"], ["README", ".TXT"]])
        .to_array()
    )
    assert _names(a) == ["README", "hello"]


async def test_compound_primary_key_between(wdb):
    """'compound-primkey (Issue #37)' (Dexie's people, ``between`` on the primary key)."""
    async with wdb.transaction("rw", wdb.people):
        await wdb.people.add({"name": "Santaclaus", "number": 123})
        await wdb.people.add({"name": "Santaclaus", "number": 124})
        await wdb.people.add({"name": "Santaclaus2", "number": 1})
        santa = await wdb.people.get(["Santaclaus", 123])
    assert (santa["name"], santa["number"]) == ("Santaclaus", 123)
    santas = (
        await wdb.people.where("[name+number]")
        .between(["Santaclaus", 1], ["Santaclaus", 200])
        .to_array()
    )
    assert len(santas) == 2


async def test_between_on_a_three_part_primary_key(wdb):
    """'Erratic behavior of between #190' (Dexie's chart: 2 rows of 150 cells)."""
    async with wdb.transaction("rw", wdb.chart):
        await wdb.chart.bulk_add(
            [{"patno": 1, "row": r, "col": c, "sym": 1} for r in range(1, 3) for c in range(1, 151)]
        )
    grid: list[int] = []
    await (
        wdb.chart.where("[patno+row+col]")
        .between([1, 1, 91], [1, 1, 130], True, True)
        .each(lambda cell: grid.append(cell["sym"]))
    )
    assert len(grid) == 40


async def test_above_below_between(wdb):
    """'above, aboveOrEqual, below, belowOrEqual, between'."""
    f = wdb.folders
    assert _paths(await f.where("id").above(5).to_array()) == [
        "/usr/local/var",
        "/USR/local/VAR",
        "/var",
        "/var/bin",
    ]
    assert _paths(await f.where("id").above_or_equal(5).to_array()) == [
        "/usr/local/src",
        "/usr/local/var",
        "/USR/local/VAR",
        "/var",
        "/var/bin",
    ]
    assert _paths(await f.where("id").below(5).to_array()) == [
        "/",
        "/usr",
        "/usr/local",
        "/usr/local/bin",
    ]
    assert _paths(await f.where("id").below_or_equal(5).to_array()) == [
        "/",
        "/usr",
        "/usr/local",
        "/usr/local/bin",
        "/usr/local/src",
    ]

    async def ids(*args) -> list[int]:
        return [x["id"] for x in await f.where("id").between(*args).to_array()]

    assert await ids(1, 2) == [1]
    assert await ids(1, 2, True, False) == [1]
    assert await ids(1, 2, False, True) == [2]
    assert await ids(1, 2, False, False) == []
    assert await ids(1, 2, True, True) == [1, 2]


async def test_not_equal(wdb):
    """'notEqual'."""
    result = await wdb.folders.where("path").not_equal("/usr/local").sort_by("path")
    assert _paths(result) == [
        "/",
        "/USR/local/VAR",
        "/usr",
        "/usr/local/bin",
        "/usr/local/src",
        "/usr/local/var",
        "/var",
        "/var/bin",
    ]


async def test_none_of(wdb):
    """'noneOf'."""
    result = (
        await wdb.folders.where("path")
        .none_of("/usr/local", "/", "/var/bin", "not existing key")
        .sort_by("path")
    )
    assert _paths(result) == [
        "/USR/local/VAR",
        "/usr",
        "/usr/local/bin",
        "/usr/local/src",
        "/usr/local/var",
        "/var",
    ]


async def test_in_any_of_ranges(wdb):
    """'inAnyOfRanges'."""
    inf = float("inf")
    async with wdb.transaction("rw", wdb.friends):
        await wdb.friends.bulk_add(
            [
                {"name": "Simon", "age": 3},
                {"name": "Tyra", "age": 0},
                {"name": "David", "age": 42},
                {"name": "Ylva", "age": 40},
                {"name": "Ann-Sofie", "age": 72},
            ]
        )
        age = wdb.friends.where

        result = await age("age").in_any_range([[0, 3], [65, inf]]).to_array()
        assert [x["name"] for x in result] == ["Tyra", "Ann-Sofie"]
        result = await age("age").in_any_range([[0, 3], [65, inf]], include_uppers=True).to_array()
        assert [x["name"] for x in result] == ["Tyra", "Simon", "Ann-Sofie"]
        result = await age("age").in_any_range([[0, 3], [65, inf]], include_lowers=False).to_array()
        assert [x["name"] for x in result] == ["Ann-Sofie"]
        ranges = [[40, 40], [40, 40], [40, 41], [41, 41], [42, 42]]
        result = await age("age").in_any_range(ranges, include_uppers=True).to_array()
        assert [x["name"] for x in result] == ["Ylva", "David"]


async def test_any_of_ignore_case(wdb):
    """'anyOfIgnoreCase', 'anyOfIgnoreCase(2)'."""
    async with wdb.transaction("r", wdb.folders, wdb.files):
        coll = wdb.folders.where("path").any_of_ignore_case("/usr/local/var", "/")
        assert _paths(await coll.to_array()) == ["/", "/USR/local/VAR", "/usr/local/var"]
        coll = wdb.folders.where("path").any_of_ignore_case("/usr/local/var", "/").reverse()
        assert _paths(await coll.to_array()) == ["/usr/local/var", "/USR/local/VAR", "/"]
        coll = wdb.files.where("filename").any_of_ignore_case(["hello", "world", "readme"])
        assert _names(await coll.to_array()) == ["Hello", "README", "hello", "world"]
    coll = wdb.files.where("filename").any_of_ignore_case(["hello", "world", "readme"])
    assert _names(await coll.to_array()) == ["Hello", "README", "hello", "world"]


async def test_where_with_a_dict(wdb):
    """'where({key: value})'."""
    readme = await wdb.files.where({"filename": "README"}).first()
    assert readme["extension"] == ".TXT"
    assert (await wdb.files.get({"filename": "README", "extension": ".TXT"}))["id"] == 4
    assert await wdb.files.get({"filename": "apa", "extension": "otto"}) is None
    ulla = {"name": "Ulla Bella", "number": 888, "age": 88}
    await wdb.friends.add(dict(ulla))  # single indexes on name and age
    await wdb.chaps.add(dict(ulla))  # compound index [name+number+age]
    await wdb.folders.add(dict(ulla))  # none of them indexed
    assert await wdb.friends.get({"name": "Ulla Bella", "number": 888}) is not None
    assert await wdb.chaps.get({"name": "Ulla Bella", "number": 888}) is not None
    assert await wdb.chaps.get({"number": 888, "name": "Ulla Bella"}) is not None
    with pytest.raises(SchemaError):
        await wdb.folders.get({"name": "Ulla Bella", "number": 888})


async def test_where_with_a_field_not_indexed(wdb):
    """'where({notIndexed: value}) should not return emtpy result': either the right
    record or an error, never an empty result."""
    await wdb.chaps.add({"name": "Chaplin", "number": 1, "age": 134, "notIndexed": "foo"})
    try:
        chaplin = await wdb.chaps.where({"name": "Chaplin", "notIndexed": "foo"}).first()
    except SchemaError:
        return
    assert chaplin is not None and chaplin["name"] == "Chaplin"


async def test_query_on_two_multi_entry_indexes(wdb):
    """ "Issue #696 - Query on multiple multi-entry indexes doesn't seem to work"."""
    await wdb.multiMulti.bulk_add(
        [
            {"id": 1, "name": "Foo", "age": 42, "categories": ["cat_a", "cat_b"]}
            | {"tags": ["tag_a", "tag_b"]},
            {"id": 2, "name": "Bar", "age": 32, "categories": ["cat_b", "cat_c"]}
            | {"tags": ["tag_b", "tag_c"]},
        ]
    )
    assert len(await wdb.multiMulti.where({"categories": "cat_a"}).distinct().to_array()) == 1
    both = wdb.multiMulti.where({"categories": "cat_a", "tags": "tag_a"}).distinct()
    assert len(await both.to_array()) == 1


async def test_virtual_index_ignoring_case(wdb):
    """'Virtual Index' (Dexie's chaps, and equalsIgnoreCase on the virtual index)."""
    await wdb.chaps.bulk_add(
        [
            {"name": "David", "number": 2, "age": 29},
            {"name": "David", "number": 3, "age": 39},
            {"name": "David", "number": 1, "age": 49},
            {"name": "Mambo", "number": 5, "age": 55},
        ]
    )
    assert len(await wdb.chaps.where({"name": "David"}).to_array()) == 3
    assert len(await wdb.chaps.where({"name": "Mambo", "number": 5}).to_array()) == 1
    daves = await wdb.chaps.where("name").equals_ignore_case("david").to_array()
    assert [(d["name"], d["number"]) for d in daves] == [("David", 1), ("David", 2), ("David", 3)]


@pytest.mark.parametrize("bad", [None, lambda: None], ids=["None", "function"])
async def test_equals_an_invalid_key(wdb, bad):
    """'WhereClause.equals(invalid key)' (null and a function; Python has no
    undefined)."""
    with pytest.raises(DataError):
        await wdb.files.where("filename").equals(bad).first()
