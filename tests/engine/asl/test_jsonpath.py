"""JSONPath as AWS reads it (Jayway JsonPath), engine/asl/jsonpath: the reader and the
validator accept the same paths and read them the same way."""
import pytest

from engine.asl import validate
from engine.asl.paths import PathNotFound, is_valid_path, is_valid_reference_path, read_path

STORE = {
    "store": {
        "book": [
            {"category": "reference", "author": "Nigel Rees", "title": "Sayings", "price": 8.95},
            {"category": "fiction", "author": "Evelyn Waugh", "title": "Sword", "price": 12.99},
            {"category": "fiction", "author": "Herman Melville", "title": "Moby Dick",
             "isbn": "0-553-21311-3", "price": 8.99},
            {"category": "fiction", "author": "J. R. R. Tolkien", "title": "The Lord",
             "isbn": "0-395-19395-8", "price": 22.99, "tags": []},
        ],
        "bicycle": {"color": "red", "price": 19.95},
    },
    "expensive": 10,
    "nums": [0, 1, 2, 3, 4],
    "orders": [{"id": 1, "total": 5, "state": "OPEN"}, {"id": 2, "total": 0, "state": "DONE"},
               {"id": 3, "total": 12, "state": "open"}, 7, "x"],
}


def titles(path):
    return [b["title"] for b in read_path(path, STORE)]


def test_a_dot_before_a_bracket_is_the_bracket():
    # Jayway: `$.[...]` reads like `$[...]`, for indexes, names, wildcards and filters.
    assert read_path("$.store.book.[0].title", STORE) == "Sayings"
    assert read_path("$.['expensive']", STORE) == 10
    assert read_path("$.orders.[?(@.total > 0)]", STORE) == read_path("$.orders[?(@.total > 0)]", STORE)
    assert is_valid_path("$.[?(@.x > 0)]") and is_valid_path("$.[0]")


@pytest.mark.parametrize("path, expected", [
    ("$.store.book[?(@.price < 10)]", ["Sayings", "Moby Dick"]),
    ("$.store.book[?(@.price < 10 && @.category == 'fiction')]", ["Moby Dick"]),
    ("$.store.book[?(@.category == 'reference' || @.price > 20)]", ["Sayings", "The Lord"]),
    ("$.store.book[?(@.category != 'fiction')]", ["Sayings"]),
    ("$.store.book[?(@.isbn)]", ["Moby Dick", "The Lord"]),
    ("$.store.book[?(!@.isbn)]", ["Sayings", "Sword"]),
    ("$.store.book[?(!(@.price < 10 && @.category == 'fiction'))]", ["Sayings", "Sword", "The Lord"]),
    ("$.store.book[?(@.author =~ /.*REES/i)]", ["Sayings"]),
    ("$.store.book[?(@.author =~ /Rees/)]", []),                    # the whole string must match
    ("$.store.book[?(@.category in ['reference', 'poetry'])]", ["Sayings"]),
    ("$.store.book[?(@.category nin ['fiction'])]", ["Sayings"]),
    ("$.store.book[?(@.title size 5)]", ["Sword"]),
    ("$.store.book[?(@.tags empty true)]", ["The Lord"]),
    ("$.store.book[?(@.price <= $['expensive'])]", ["Sayings", "Moby Dick"]),
    ("$.store.book[?(@.price > $.expensive)]", ["Sword", "The Lord"]),
])
def test_filters(path, expected):
    assert titles(path) == expected


def test_filters_compare_types_strictly_and_skip_what_they_cannot_compare():
    assert read_path("$.orders[?(@.total == '5')]", STORE) == []      # 5 is not '5'
    assert read_path("$.orders[?(@.state > 'A')].id", STORE) == [1, 2, 3]
    assert read_path("$.orders[?(@.state > 1)]", STORE) == []        # string vs number: false
    assert read_path("$.orders[?(@.missing != 1)].id", STORE) == [1, 2, 3]  # undefined ≠ 1


def test_filters_match_objects_only():
    # AWS docs (Reference Paths): "The @ operator … does not match scalar values. It only
    # matches objects." The 7 and "x" in `orders` are skipped.
    assert read_path("$.orders[?(@.id)].id", STORE) == [1, 2, 3]
    assert read_path("$.nums[?(@ > 1)]", STORE) == []


def test_deep_scan():
    assert read_path("$..author", STORE) == ["Nigel Rees", "Evelyn Waugh", "Herman Melville",
                                             "J. R. R. Tolkien"]
    assert read_path("$.store..price", STORE) == [8.95, 12.99, 8.99, 22.99, 19.95]
    assert read_path("$..book[2].title", STORE) == ["Moby Dick"]
    assert [b["title"] for b in read_path("$..[?(@.price > 20)]", STORE)] == ["The Lord"]
    assert read_path("$..nothing", STORE) == []


@pytest.mark.parametrize("path, expected", [
    ("$.nums[-2:]", [3, 4]),
    ("$.nums[2:]", [2, 3, 4]),
    ("$.nums[:2]", [0, 1]),
    ("$.nums[:-3]", [0, 1]),
    ("$.nums[1:3]", [1, 2]),
    ("$.nums[3:99]", [3, 4]),
    ("$.nums[-2:2]", [3, 4, 0, 1]),   # Jayway walks from a negative start up to the end bound
    ("$.nums[1:-1]", []),             # … and an end bound below the start gives nothing
    ("$.nums[0,2,-1]", [0, 2, 4]),
    ("$.nums[-1]", 4),
    ("$.nums[(@.length-1)]", 4),      # AWS deviation (see engine/asl/jsonpath/compiler.py)
])
def test_indexes_and_slices(path, expected):
    assert read_path(path, STORE) == expected


def test_length_is_evaluated_and_other_functions_select_nothing():
    assert read_path("$.nums.length()", STORE) == 5
    assert read_path("$.store.bicycle.length()", STORE) == 2
    assert read_path("$..book.length()", STORE) == 4       # Jayway README: "the number of books"
    with pytest.raises(PathNotFound):
        read_path("$.nums.sum()", STORE)                  # repost.aws: AWS fails sum()
    assert is_valid_path("$.nums.sum()") and not is_valid_reference_path("$.nums.length()")


@pytest.mark.parametrize("path, expected", [
    ("$['store']['bicycle']['color']", "red"),
    ('$["store"]["bicycle"]["color"]', "red"),
    ("$[ 'store' ].bicycle[ 'color' ]", "red"),
    ("$.store.bicycle['color','price']", {"color": "red", "price": 19.95}),
    ("$['it\\'s']", 1),
    ('$["say \\"hi\\""]', 2),
    ("$['a.b']", 3),
])
def test_bracket_notation_with_quotes_and_escapes(path, expected):
    data = {**STORE, "it's": 1, 'say "hi"': 2, "a.b": 3}
    assert read_path(path, data) == expected


@pytest.mark.parametrize("bad", ["$.", "$..", "$.a.", "$[", "$.a[", "$['a'", "$[1:2:3]",
                                 "$.a b", "$[?(@.a subsetof [1])]", "$[?(@.a >)]", "$.f(",
                                 "$[?(@.a == 'x)]", "$[]", "$[,1]"])
def test_paths_jayway_refuses(bad):
    assert not is_valid_path(bad)


def test_the_validator_and_the_reader_agree():
    definition = {"StartAt": "P", "States": {"P": {
        "Type": "Pass", "InputPath": "$.[?(@.total > 0)]",
        "Parameters": {"n.$": "$.length()", "deep.$": "$..id", "bad.$": "$.orders[?(@.x subsetof [1])]"},
        "End": True}}}
    diags = validate(definition)
    assert [(d.location, d.severity) for d in diags] == [("/States/P/Parameters/bad.$", "ERROR")]
