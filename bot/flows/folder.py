"""Loads and lints a whole folder of flows, with the checks that span more than one flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePath

from bot.engine.flow import Flow, Media, Pos, Step
from bot.flows.findings import Finding, Findings, did_you_mean
from bot.flows.graph import target_pos
from bot.flows.lint import lint_flow
from bot.flows.parse import read_flow
from bot.flows.translations import LOCALES, check_translations, enabled_catalogs


@dataclass
class FolderResult:
    """The flows of a folder that loaded, their sources, and every finding."""

    flows: dict[str, Flow] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings that are errors."""
        return [f for f in self.findings if f.is_error]


def load_folder(
    folder: Path,
    languages: tuple[str, ...] = ("vi",),
    locales: Path = LOCALES,
    today: date | None = None,
) -> FolderResult:
    """Parse and lint every `*.yaml` flow in a folder (not its subfolders); `today` (when
    given) is the date each flow's `checked` is aged against."""
    result = FolderResult()
    per_file: dict[str, Findings] = {}
    built: list[Flow] = []
    catalogs = enabled_catalogs(languages, locales)
    for path in sorted(folder.glob("*.yaml")):
        shown = _shown_path(path)
        source = path.read_text(encoding="utf-8")
        flow, findings = read_flow(shown, source)
        per_file[shown] = findings
        if flow is None:
            continue
        built.append(flow)
        if findings.has_errors:
            continue
        lint_flow(flow, findings, today)
        _check_media(flow, folder, languages, findings)
        check_translations(flow, catalogs, findings, locales)
        result.flows[flow.id] = flow
        result.sources[flow.id] = source
    known = _check_duplicates(built, per_file)
    _check_links(known, per_file)
    for findings in per_file.values():
        result.findings.extend(findings.items)
    _drop_erroneous(result)
    result.findings.sort()
    return result


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _drop_erroneous(result: FolderResult) -> None:
    bad = {f.path for f in result.findings if f.is_error}
    for flow_id in [i for i, flow in result.flows.items() if flow.path in bad]:
        del result.flows[flow_id]
        del result.sources[flow_id]


def _check_media(flow: Flow, folder: Path, languages: tuple[str, ...], f: Findings) -> None:
    for step in flow.steps:
        for media in step.media:
            _check_one_media(step.id, media, folder, languages, f)


def _check_one_media(
    step_id: str, media: Media, folder: Path, languages: tuple[str, ...], f: Findings
) -> None:
    if media.path.startswith("https://"):
        return
    if media.path.startswith("http://"):
        f.error(media.pos, f"step '{step_id}': {media.kind} '{media.path}' must use https://")
        return
    for lang in dict.fromkeys(("vi", *languages)):
        path = media.path.replace("{lang}", lang)
        if (folder / path).is_file():
            continue
        message = f"step '{step_id}': {media.kind} file '{path}' does not exist in {folder}"
        if lang == "vi":
            f.error(media.pos, message)
        else:
            f.warning(media.pos, f"{message} (residents reading {lang} get the vi file)")
        if "{lang}" not in media.path:
            return


def _check_duplicates(flows: list[Flow], per_file: dict[str, Findings]) -> dict[str, Flow]:
    """Report flows that share an id; the known flows by id, the one named after its id first.

    Each file's id must equal its name, so a shared id means a file whose id was not changed
    (e.g. after copying a flow to start a new one): that file gets the error.
    """
    known: dict[str, Flow] = {}
    named = (f for f in flows if f.id)
    for flow in sorted(named, key=lambda f: (PurePath(f.path).stem != f.id, f.path)):
        first = known.setdefault(flow.id, flow)
        if first is not flow:
            per_file[flow.path].error(
                flow.positions["id"],
                f"duplicate flow id '{flow.id}': {PurePath(first.path).name} has it too "
                f"(give this flow its own id, the same as its file name)",
            )
    return known


def _check_links(flows: dict[str, Flow], per_file: dict[str, Findings]) -> None:
    given = {m for flow in flows.values() for m in _milestones(flow)}
    for flow in flows.values():
        f = per_file[flow.path]
        for name in flow.requires:
            if name not in given:
                hint = did_you_mean(name, given)
                f.error(
                    flow.positions.get(f"requires.{name}", flow.positions["requires"]),
                    f"requires milestone '{name}', which no flow gives{hint}",
                )
        _check_flow_refs(flow, flows, f)
    _check_goto_loops(flows, per_file)
    _check_menu_reach(flows, per_file)


def _check_menu_reach(flows: dict[str, Flow], per_file: dict[str, Findings]) -> None:
    """A flow kept out of the menu must be reached from another flow, else nobody can start it."""
    linked = {ref for flow in flows.values() for ref, _ in _flow_refs(flow)}
    for flow in flows.values():
        if not flow.menu and flow.id not in linked:
            per_file[flow.path].warning(
                flow.positions.get("menu", flow.positions.get("id", Pos(1, 1))),
                f"flow '{flow.id}' has 'menu: false' and no other flow leads to it, so no "
                f"resident can reach it (remove 'menu: false', or link it with 'flow:{flow.id}')",
            )


def _milestones(flow: Flow) -> set[str]:
    names = {s.milestone for s in flow.steps if s.milestone}
    return names | ({flow.milestone} if flow.milestone else set())


def _check_flow_refs(flow: Flow, flows: dict[str, Flow], f: Findings) -> None:
    for step in flow.steps:
        for name, pos in _step_refs(step):
            if name not in flows:
                hint = did_you_mean(name, flows)
                f.error(pos, f"step '{step.id}': flow '{name}' does not exist{hint}")


def _flow_refs(flow: Flow) -> list[tuple[str, Pos]]:
    """Every flow another flow names (goto, flow: targets), with where it is named."""
    return [ref for step in flow.steps for ref in _step_refs(step)]


def _step_refs(step: Step) -> list[tuple[str, Pos]]:
    refs = [(step.goto, step.positions.get("goto", step.pos))] if step.goto else []
    refs += [
        (o.target[5:], target_pos(step, o))
        for o in step.options
        if o.target and o.target.startswith("flow:")
    ]
    refs += [(a.target[5:], a.pos) for a in step.branches if a.target.startswith("flow:")]
    for key in ("next", "on_fail"):
        target = step.next if key == "next" else step.on_fail
        if target and target.startswith("flow:"):
            refs.append((target[5:], step.positions.get(key, step.pos)))
    return refs


def _check_goto_loops(flows: dict[str, Flow], per_file: dict[str, Findings]) -> None:
    calls = {fid: [s for s in flow.steps if s.goto in flows] for fid, flow in flows.items()}
    for start, flow in flows.items():
        for step in calls[start]:
            path = _call_path(step.goto or "", start, calls, [start])
            if path is not None:
                chain = " -> ".join(path)
                per_file[flow.path].error(
                    step.positions.get("goto", step.pos),
                    f"step '{step.id}': flows call each other in a loop: {chain} "
                    f"(remove one of the gotos; to hand over without coming back, "
                    f"use a 'flow:ID' target)",
                )


def _call_path(
    current: str, goal: str, calls: dict[str, list[Step]], trail: list[str]
) -> list[str] | None:
    trail = [*trail, current]
    if current == goal:
        return trail
    if current in trail[:-1]:
        return None
    for step in calls.get(current, []):
        found = _call_path(step.goto or "", goal, calls, trail)
        if found is not None:
            return found
    return None
