"""Markdown -> the small HTML subset Telegram accepts (b, i, s, code, pre, a, blockquote).

Lessons are parsed into top-level blocks so the pager can split between them; anything Telegram
cannot show (raw HTML, images, tables, odd link schemes), bold, italics or code left open (a `**`, `_` or
`` ` `` that Markdown would show as is), and `*` italics glued to a word (`2*3*4` would lose its `*`s), is reported as an issue with its line: an English `message` for course
files, and a `code` with its `values` for those who word it in another language (instructors' announcements).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

__all__ = ["Block", "MarkdownIssue", "code_html", "parse_blocks", "render_markdown"]

_PARSER = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).disable("text_join")
"""Without `text_join`, an escaped character (`\\*`) stays a `text_special` node: never taken for a delimiter left
open."""
_BEFORE, _AFTER = r"(?:^|(?<=[\s(\[«\"']))", r"(?=$|[\s.,;:!?)\]»\"'])"
_LEFT_OPEN = (
    # a delimiter run Markdown would have paired (it opens right before a word, or closes right after one) but
    # found no partner; `*.log`, `5 * 3` or `my_var` are left alone
    ("unclosed_bold", "bold (** or __) is not closed", re.compile(
        rf"{_BEFORE}(?:\*\*|__)(?=[^\W_])|(?<=[^\W_])(?:\*\*|__){_AFTER}")),
    ("unclosed_italic", "italics (* or _) are not closed", re.compile(
        rf"{_BEFORE}(?<![*_])[*_](?=[^\W_])|(?<=[^\W_])(?<![*_])[*_](?![*_]){_AFTER}")),
    ("unclosed_code", "code (`) is not closed", re.compile(r"`")),
)
_LINK_SCHEMES = ("http://", "https://", "tg://")
_INDENT = "   "


@dataclass(frozen=True)
class Block:
    """One top-level block; `code` keeps a code block's text so it can be split at lines."""

    html: str
    line: int
    code: str | None = None
    language: str | None = None
    heading: bool = False


@dataclass(frozen=True)
class MarkdownIssue:
    line: int  # 0-based, within the Markdown text
    message: str  # in English, for course files
    code: str = "unsupported"  # the kind of problem, for a translated message
    values: tuple[tuple[str, str], ...] = ()  # what the message names (`kind`, `href`, `html`)


def code_html(code: str, language: str | None) -> str:
    if language:
        return f'<pre><code class="language-{escape(language)}">{escape(code, quote=False)}</code></pre>'
    return f"<pre>{escape(code, quote=False)}</pre>"


def parse_blocks(text: str) -> tuple[list[Block], list[MarkdownIssue]]:
    """The top-level blocks of `text`, rendered, and every construct Telegram cannot show."""
    renderer = _Renderer()
    root = SyntaxTreeNode(_PARSER.parse(text))
    blocks = []
    for node in root.children:
        line = node.map[0] if node.map else 0
        html = renderer.block(node, line, depth=0)
        if node.type in ("fence", "code_block"):
            language = node.info.split()[0] if node.info.strip() else None
            blocks.append(Block(html, line, code=_code_text(node), language=language))
        elif html.strip():
            blocks.append(Block(html, line, heading=node.type == "heading"))
    return blocks, renderer.issues


def render_markdown(text: str) -> str:
    """Telegram HTML for a short snippet (an exercise goal, a step, a hint)."""
    blocks, _ = parse_blocks(text)
    return "\n\n".join(block.html for block in blocks)


def _plain(node: SyntaxTreeNode) -> str:
    """The text inside an inline node, marks left out."""
    return "".join(child.content if child.type in ("text", "text_special", "code_inline") else _plain(child)
                   for child in node.children)


def _code_text(node: SyntaxTreeNode) -> str:
    return node.content.removesuffix("\n")


class _Renderer:
    def __init__(self) -> None:
        self.issues: list[MarkdownIssue] = []

    def _issue(self, line: int, code: str, message: str, **values: str) -> None:
        self.issues.append(MarkdownIssue(line, message, code, tuple(values.items())))

    def _left_open(self, text: str, line: int) -> None:
        for code, message, pattern in _LEFT_OPEN:
            found = pattern.search(text)
            if found:
                mark = found.group(0)
                self._issue(line, code, f"{message}: {mark}", mark=mark, escaped="".join(f"\\{c}" for c in mark))
                return

    def _eaten(self, nodes: list[SyntaxTreeNode], index: int, line: int) -> None:
        """`2*3*4`: italics (or bold) glued to a word on a side would eat the `*`s of a product, a glob, a name;
        reported with the text as typed and as it should be escaped."""
        node = nodes[index]
        before = nodes[index - 1].content if index > 0 and nodes[index - 1].type == "text" else ""
        after = nodes[index + 1].content if index + 1 < len(nodes) and nodes[index + 1].type == "text" else ""
        if node.markup[:1] != "*" or not (before[-1:].isalnum() or after[:1].isalnum()):
            return
        head, tail = re.search(r"\w*$", before), re.match(r"\w*", after)
        word = (head.group(0) if head else "", _plain(node), tail.group(0) if tail else "")
        escaped = node.markup.replace("*", "\\*")
        self._issue(line, "eaten_marks", f"{node.markup} glued to a word becomes {node.type}: "
                    f"{word[0]}{node.markup}{word[1]}{node.markup}{word[2]} (escape it: \\*)",
                    text=f"{word[0]}{node.markup}{word[1]}{node.markup}{word[2]}",
                    escaped=f"{word[0]}{escaped}{word[1]}{escaped}{word[2]}")

    def block(self, node: SyntaxTreeNode, line: int, depth: int) -> str:
        line = node.map[0] if node.map else line
        kind = node.type
        if kind == "paragraph":
            return self.inline(node.children, line)
        if kind == "heading":
            inner = self.inline(node.children, line).replace("<b>", "").replace("</b>", "")
            return f"<b>{inner}</b>"
        if kind in ("fence", "code_block"):
            language = node.info.split()[0] if node.info.strip() else None
            return code_html(_code_text(node), language)
        if kind == "blockquote":
            inner = "\n".join(self.block(child, line, depth) for child in node.children)
            return f"<blockquote>{inner}</blockquote>"
        if kind in ("bullet_list", "ordered_list"):
            return self._list(node, line, depth)
        if kind == "hr":
            return "———"
        if kind == "html_block":
            self._issue(line, "raw_html_block", "raw HTML is not allowed in lessons (write Markdown instead)")
            return escape(node.content.strip(), quote=False)
        if kind == "table":
            self._issue(line, "table", "tables are not supported in Telegram (use a list)")
            return self._table(node)
        self._issue(line, "unsupported_block", f"unsupported Markdown block: {kind}", kind=kind)
        return ""

    def _list(self, node: SyntaxTreeNode, line: int, depth: int) -> str:
        start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
        lines = []
        for number, item in enumerate(node.children, start):
            if node.type == "ordered_list":
                marker = f"{number}."
            else:
                marker = "•" if depth == 0 else "◦"
            parts = [self.block(child, line, depth + 1) for child in item.children]
            first, *rest = parts or [""]
            lines.append(f"{_INDENT * depth}{marker} {first}")
            lines += rest
        return "\n".join(lines)

    def _table(self, node: SyntaxTreeNode) -> str:
        rows = [row for section in node.children for row in section.children]
        return "\n".join(" | ".join(self.inline(cell.children, 0) for cell in row.children) for row in rows)

    def inline(self, nodes: list[SyntaxTreeNode], line: int) -> str:
        out = []
        for index, node in enumerate(nodes):
            kind = node.type
            if kind == "inline":
                out.append(self.inline(node.children, line))
            elif kind == "text":
                self._left_open(node.content, line)
                out.append(escape(node.content, quote=False))
            elif kind == "text_special":  # an escaped character, shown as is
                out.append(escape(node.content, quote=False))
            elif kind == "code_inline":
                out.append(f"<code>{escape(node.content, quote=False)}</code>")
            elif kind in ("strong", "em", "s"):
                if kind != "s":
                    self._eaten(nodes, index, line)
                tag = {"strong": "b", "em": "i", "s": "s"}[kind]
                out.append(f"<{tag}>{self.inline(node.children, line)}</{tag}>")
            elif kind == "link":
                href = str(node.attrs.get("href", ""))
                if not href.startswith(_LINK_SCHEMES):
                    self._issue(line, "link_scheme", f"link target must start with http://, https:// or tg:// (got {href!r})",
                                href=href)
                out.append(f'<a href="{escape(href)}">{self.inline(node.children, line)}</a>')
            elif kind == "softbreak":
                out.append(" ")
                line += 1
            elif kind == "hardbreak":
                out.append("\n")
                line += 1
            elif kind == "image":
                self._issue(line, "image", "images are not supported in lessons")
                out.append(self.inline(node.children, line))
            elif kind == "html_inline":
                self._issue(line, "raw_html", f"raw HTML is not allowed in lessons: {node.content} (put code in `backticks`)",
                            html=node.content)
                out.append(escape(node.content, quote=False))
            else:
                self._issue(line, "unsupported", f"unsupported Markdown: {kind}", kind=kind)
        return "".join(out)
