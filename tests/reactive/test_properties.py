"""Property test: random DAGs of derived stores stay glitch-free (CPython only)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.reactive import Readable, batch, derived, readonly, writable

OPS: dict[str, Callable[[list[int]], int]] = {
    "sum": sum,
    "weighted": lambda vs: sum((i + 1) * v for i, v in enumerate(vs)) % 97,
    "max": max,
    "parity": lambda vs: sum(vs) % 2,  # often unchanged: exercises bail-outs
    "const": lambda vs: 7,  # never changes
}


@dataclass
class NodeSpec:
    inputs: list[int]
    op: str
    manual: bool  # fn(values, set) form instead of a returned value
    view: bool  # wrapped in readonly()


@dataclass
class Graph:
    sources: int
    nodes: list[NodeSpec]
    observed: list[int]
    steps: list[tuple[str, int, int]]  # ("set", source, value) or ("toggle", node, 0)


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    sources = draw(st.integers(1, 4))
    node_count = draw(st.integers(1, 12))
    nodes: list[NodeSpec] = []
    for index in range(node_count):
        available = sources + index
        inputs = draw(st.lists(st.integers(0, available - 1), min_size=1, max_size=4, unique=True))
        nodes.append(
            NodeSpec(
                inputs=inputs,
                op=draw(st.sampled_from(sorted(OPS))),
                manual=draw(st.booleans()),
                view=draw(st.booleans()),
            )
        )
    total = sources + node_count
    observed = draw(st.lists(st.integers(0, total - 1), min_size=1, max_size=total, unique=True))
    step = st.one_of(
        st.tuples(st.just("set"), st.integers(0, sources - 1), st.integers(-3, 3)),
        st.tuples(st.just("toggle"), st.integers(0, total - 1), st.just(0)),
    )
    steps = draw(st.lists(step, min_size=1, max_size=25))
    return Graph(sources, nodes, observed, steps)


@dataclass
class Harness:
    graph: Graph
    sources: list[Any] = field(default_factory=list)
    stores: list[Readable[int]] = field(default_factory=list)
    calls: dict[int, list[list[int]]] = field(default_factory=dict)  # node -> inputs seen
    seen: dict[int, list[int]] = field(default_factory=dict)  # store -> values delivered
    unsubscribers: dict[int, Callable[[], None]] = field(default_factory=dict)

    def build(self) -> None:
        for _ in range(self.graph.sources):
            source = writable(0)
            self.sources.append(source)
            self.stores.append(source)
        for index, spec in enumerate(self.graph.nodes):
            position = self.graph.sources + index
            self.calls[position] = []
            inputs = [self.stores[i] for i in spec.inputs]
            op = OPS[spec.op]
            log = self.calls[position]
            if spec.manual:

                def fn(values: list[int], set_: Any, op: Any = op, log: Any = log) -> None:
                    log.append(list(values))
                    set_(op(values))

                store = derived(inputs, fn)
            else:

                def fn(values: list[int], op: Any = op, log: Any = log) -> int:  # type: ignore[misc]
                    log.append(list(values))
                    return op(values)

                store = derived(inputs, fn)
            self.stores.append(readonly(store) if spec.view else store)

    def subscribe(self, position: int) -> None:
        self.seen[position] = []
        self.unsubscribers[position] = self.stores[position].subscribe(self.seen[position].append)

    def toggle(self, position: int) -> None:
        if position in self.unsubscribers:
            self.unsubscribers.pop(position)()
            del self.seen[position]
        else:
            self.subscribe(position)

    def expected(self) -> list[int]:
        values = [self.sources[i]._node.value for i in range(self.graph.sources)]
        for spec in self.graph.nodes:
            values.append(OPS[spec.op]([values[i] for i in spec.inputs]))
        return values

    def reset_logs(self) -> None:
        for log in self.calls.values():
            log.clear()
        for log in self.seen.values():
            log.clear()


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_every_set_is_glitch_free_and_runs_each_function_at_most_once(graph: Graph) -> None:
    harness = Harness(graph)
    harness.build()
    for position in graph.observed:
        harness.subscribe(position)
    expected = harness.expected()
    for position, log in harness.seen.items():
        assert log == [expected[position]]

    for kind, target, value in graph.steps:
        harness.reset_logs()
        if kind == "toggle":
            harness.toggle(target)
            expected = harness.expected()
            if target in harness.seen:
                assert harness.seen[target] == [expected[target]]
            continue
        before = expected
        harness.sources[target].set(value)
        expected = harness.expected()
        for position, log in harness.calls.items():
            assert len(log) <= 1, f"node {position} ran {len(log)} times in one set"
            spec = graph.nodes[position - graph.sources]
            for inputs in log:
                assert inputs == [expected[i] for i in spec.inputs], "fn saw stale inputs"
        for position, log in harness.seen.items():
            assert len(log) <= 1, f"store {position} notified {len(log)} times"
            assert all(v == expected[position] for v in log), "subscriber saw a glitch"
            if before[position] != expected[position]:
                assert log == [expected[position]], "subscriber missed an update"


@settings(max_examples=200, deadline=None)
@given(graphs(), st.lists(st.tuples(st.integers(0, 3), st.integers(-3, 3)), min_size=2, max_size=4))
def test_sets_made_inside_a_subscriber_only_ever_show_consistent_states(
    graph: Graph, batch: list[tuple[int, int]]
) -> None:
    harness = Harness(graph)
    harness.build()
    for position in graph.observed:
        harness.subscribe(position)
    trigger = writable(0)
    states: list[list[int]] = []

    def run_batch(v: int) -> None:
        if not v:
            return
        for source, value in batch:
            harness.sources[source % graph.sources].set(value)
            states.append(harness.expected())

    trigger.subscribe(run_batch)
    harness.reset_logs()
    trigger.set(1)
    final = harness.expected()
    for position, log in harness.seen.items():
        for value in log:
            assert any(value == state[position] for state in states), "inconsistent value"
        if log:
            assert log[-1] == final[position]
    for position, log in harness.calls.items():
        spec = graph.nodes[position - graph.sources]
        for inputs in log:
            assert any(inputs == [s[i] for i in spec.inputs] for s in states), "fn saw a mix"


@settings(max_examples=200, deadline=None)
@given(graphs(), st.lists(st.tuples(st.integers(0, 3), st.integers(-3, 3)), min_size=2, max_size=5))
def test_a_batch_of_sets_recomputes_each_function_once_on_the_final_state(
    graph: Graph, sets: list[tuple[int, int]]
) -> None:
    harness = Harness(graph)
    harness.build()
    for position in graph.observed:
        harness.subscribe(position)
    harness.reset_logs()
    before = harness.expected()
    with batch():
        for source, value in sets:
            harness.sources[source % graph.sources].set(value)
    final = harness.expected()
    for position, log in harness.calls.items():
        assert len(log) <= 1
        spec = graph.nodes[position - graph.sources]
        assert all(inputs == [final[i] for i in spec.inputs] for inputs in log)
    for position, log in harness.seen.items():
        if position < graph.sources:
            continue  # a source delivers each of its sets, in order (Svelte semantics)
        assert len(log) <= 1 and all(v == final[position] for v in log)
        if before[position] != final[position]:
            assert log == [final[position]]
