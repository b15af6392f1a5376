"""How big and how deep a YAML document may be (docs/check.md#rules-every-file-follows: an alias bomb fails fast).

Aliases make a document's tree bigger than its text: 1 KB can expand to billions of nodes, or
nest a thousand levels deep. Walking that tree would take as long, so a composed document is
measured first: every distinct node once (memoized by identity), its size and depth as if its
aliases were expanded. A document over a limit is one problem at the node where the limit is
passed, and no walk starts. Texts too long, or nested too deep, to compose quickly are scanned
event by event as written first (`scan`), with the same limits.

Nesting written in the text is reported where it passes the limit, in document order, as the
event scan would; a document that is both too big and too deep only through aliases is reported
as too big, which says more about it.
"""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cetool.core.findings import Code

# A real docs file has a few hundred nodes; an alias bomb passes this in a few levels.
MAX_NODES = 250_000
# A docs file nests a handful of levels. Keeping this far below Python's recursion limit lets
# every consumer of the data (the walker takes two frames a level) recurse without care.
MAX_DEPTH = 100

DEPTH_MESSAGE = f"YAML nesting is deeper than {MAX_DEPTH} levels"
_LIBYAML_NESTING_ERROR = "exceeded maximum nesting depth"

# libyaml's loader when PyYAML has it (fast, and with marks), else PyYAML's own.
BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Excess(NamedTuple):
    """A limit passed: where, and the problem's code and message."""

    mark: yaml.Mark
    code: str
    message: str


class _Stop(Exception):
    def __init__(self, excess: Excess) -> None:
        self.excess = excess


def measure(root: Node) -> Excess | None:
    """The first limit `root` passes once its aliases are expanded, if any."""
    if isinstance(root, ScalarNode):
        return None
    measuring = _Measure()
    try:
        measuring.collection(root, 1)
    except _Stop as stop:
        return stop.excess
    return measuring.too_deep


def _too_many(mark: yaml.Mark, *, aliases: bool) -> Excess:
    # The smallest collection over the limit is reported: for a flat list, the list itself.
    through = " once its aliases are expanded (an alias bomb?)" if aliases else ""
    return Excess(mark, Code.ALIAS_LIMIT, f"the document has more than {MAX_NODES:,} nodes{through}")


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    else:
        for key, value in node.value:
            yield key
            yield value


_UNSEEN: Any = object()


class _Measure:
    """Sizes count every node (keys too); a level is a collection inside its parent's."""

    def __init__(self) -> None:
        # id(node) -> (expanded size, levels); None while it is being measured (on the path)
        self.shape: dict[int, tuple[int, int] | None] = {}
        self.shared = False  # some node was reached a second time, through an alias
        self.too_deep: Excess | None = None  # the first place aliases nest past MAX_DEPTH

    def collection(self, node: MappingNode | SequenceNode, depth: int) -> tuple[int, int]:
        """Size and levels of a collection not measured before, found at level `depth`.

        A node is first reached through its parent in the text (an anchor comes before its
        aliases), so this recursion follows the text's own nesting and stops at MAX_DEPTH.
        """
        if depth > MAX_DEPTH:
            raise _Stop(Excess(node.start_mark, Code.YAML_SYNTAX, DEPTH_MESSAGE))
        self.shape[id(node)] = None
        size, levels = 1, 0
        for child in _children(node):
            if isinstance(child, ScalarNode):
                size += 1
                continue
            shape = self.shape.get(id(child), _UNSEEN)
            if shape is _UNSEEN:
                shape = self.collection(child, depth + 1)
            elif shape is None:
                raise _Stop(Excess(child.start_mark, Code.ALIAS_LIMIT,
                                   "an alias inside this node refers back to it: the document never ends"))
            else:
                self.shared = True
                if depth + shape[1] > MAX_DEPTH and self.too_deep is None:
                    self.too_deep = Excess(self.deepest(child, depth + 1).start_mark, Code.YAML_SYNTAX, DEPTH_MESSAGE)
            size += shape[0]
            levels = max(levels, shape[1])
        if size > MAX_NODES:
            raise _Stop(_too_many(node.start_mark, aliases=self.shared))
        self.shape[id(node)] = (size, levels + 1)
        return size, levels + 1

    def deepest(self, node: Node, depth: int) -> Node:
        """The first collection past MAX_DEPTH inside `node` (measured, at level `depth`)."""
        while depth <= MAX_DEPTH:
            node = next(child for child in _children(node)
                        if not isinstance(child, ScalarNode) and depth + self.shape[id(child)][1] > MAX_DEPTH)
            depth += 1
        return node


def events(text: str) -> Iterator[yaml.Event]:
    """The parser's events of `text`, one at a time (libyaml's parser is iterative)."""
    loader = BaseLoader(text)
    try:
        while not isinstance(event := loader.get_event(), yaml.StreamEndEvent):
            yield event
    finally:
        loader.dispose()


def scan(text: str) -> Excess | None:
    """The first limit `text` passes as written (aliases not expanded), found without composing
    it: by the same rules as `measure`, in one pass over the parser's events. Raises
    yaml.YAMLError for bad syntax."""
    try:
        return _scan(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None or not is_nesting_error(exc):
            raise
    # libyaml (0.2.6) stops at 1000 levels and, looking ahead for keys, may stop before the
    # first event; the text up to where it stopped nests past our limit on its way there.
    return _scan(text[:mark.index])


def is_nesting_error(exc: yaml.YAMLError) -> bool:
    """libyaml's own nesting limit, which cetool reports as its (lower) one."""
    return _LIBYAML_NESTING_ERROR in str(exc)


def _scan(text: str) -> Excess | None:
    open_: list[list] = []  # [start mark, nodes so far] of each collection not yet ended
    for event in events(text):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_) == MAX_DEPTH:
                return Excess(event.start_mark, Code.YAML_SYNTAX, DEPTH_MESSAGE)
            open_.append([event.start_mark, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            mark, size = open_.pop()
            if size > MAX_NODES:
                return _too_many(mark, aliases=False)
            if open_:
                open_[-1][1] += size
        elif open_ and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
            open_[-1][1] += 1
    return None
