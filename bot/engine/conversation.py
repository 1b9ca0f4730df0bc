"""The engine's entry point: one resident, one inbound event, one clock in; what to do out."""

from __future__ import annotations

import re

from bot.engine import hints, linking, menu, onboarding, texts, welcome
from bot.engine.answers import answer
from bot.engine.matching import match, strip_fillers
from bot.engine.reply import Reply
from bot.engine.runner import Runner
from bot.engine.textnorm import fold
from bot.engine.types import WORD_KEY, WORDS, Context, Inbound, Prompt, Result, State
from bot.engine.words import word_of

STALE = "\x00stale"
# What a messenger delivers is whatever a client sent: a button payload is `<prompt>.<option>`
# in ASCII digits, a deep link `h_<household code>`; anything else is not ours.
BUTTON_PAYLOAD = re.compile(r"([0-9]{1,9})\.([0-9]{1,3})", re.ASCII)
JOIN_PAYLOAD = re.compile(r"h_([0-9]{1,12})", re.ASCII)
# A broadcast's button starts a flow: `flow:<flow id>` (ids are lowercase slugs).
FLOW_PAYLOAD = re.compile(r"flow:([a-z][a-z0-9_]{0,39})", re.ASCII)


def handle(state: State, inbound: Inbound, ctx: Context) -> Result:
    """Decide what happens when a resident sends `inbound`; `state` is taken over and updated."""
    away = welcome.was_away(state, ctx.now)
    reply = Reply(state, ctx)
    _Conversation(reply).handle(inbound)
    after = reply.state
    if after.pending.pop("show_menu", False) and after.stage == "ready" and after.run is None:
        menu.show_menu(reply)
    if away and reply.state.stage != "new":
        welcome.greet(reply)
    reply.state.seen_at = ctx.now.isoformat()
    return reply.result()


class _Conversation:
    def __init__(self, reply: Reply) -> None:
        self.r = reply
        self.state = reply.state
        self.tied: tuple[str, ...] = ()  # labels that fit a typed answer equally well

    def handle(self, inbound: Inbound) -> None:
        if inbound.kind == "start":
            self._start(inbound.payload)
            return
        if self._run_is_lost():
            self._drop_lost_run()
        if self._answered_unreadable(inbound):
            self.reprompt()
            return
        key = self._key(inbound)
        if key == STALE:
            self.r.say(self.r.ui(texts.STALE_BUTTON))
            self.reprompt()
            return
        if inbound.kind == "contact" and not self._asks_phone():
            self.r.say(self.r.ui(texts.CONTACT_NOT_ASKED))
            self.reprompt()
            return
        word = self._word(inbound, key)
        if word is not None:
            self.word(word)
        elif key is None and len(self.tied) > 1:
            self._which_one()
        elif self.state.stage in onboarding.ONBOARDING_STAGES:
            onboarding.step(self.r, inbound, key)
        else:
            self.ready(inbound, key)

    def _start(self, payload: str) -> None:
        """First contact, a deep link, or a channel opened again: show where the resident is."""
        joined = JOIN_PAYLOAD.fullmatch(payload)
        if joined is not None:
            self.state.pending["join_code"] = joined[1]
        if self.state.stage == "new":
            onboarding.begin(self.r)
        else:
            self.reprompt()

    def _answered_unreadable(self, inbound: Inbound) -> bool:
        """Answer what the bot cannot read (not an attempt: no strike); True when it did."""
        if self._not_asked(inbound):
            hints.not_text(self.r, inbound.kind)
            return True
        if self._unreadable(inbound):
            self.r.say(self.r.ui(texts.NOT_READ))
            return True
        return False

    def _not_asked(self, inbound: Inbound) -> bool:
        """A sticker, voice, location or video, or a file where no photo is asked: answered
        kindly, never kept, never a strike (a new resident is greeted as for any message)."""
        if self.state.stage == "new":
            return False
        if inbound.kind in hints.NOT_TEXT:
            return True
        return inbound.kind == "file" and not self._photo_step()

    def _photo_step(self) -> bool:
        run = self.state.run
        here = Runner(self.r).current() if run is not None and run.status == "active" else None
        return self.state.stage == "ready" and here is not None and here[2].input == "photo"

    def _key(self, inbound: Inbound) -> str | None:
        """The option the resident chose, STALE for an old button, None for free text."""
        options = self.state.prompt.options
        if inbound.kind == "button":
            return self._button(inbound.payload)
        if inbound.kind != "text" or not options:
            return None
        folded = fold(inbound.text)
        exact = next((key for label, key in options if fold(label) == folded), None)
        if exact is not None or word_of(inbound.text, self.r.ctx.words):
            return exact
        keys = [key for _, key in options]
        marked = self.state.prompt.yes_no or ("", "")
        yes_no = tuple(keys.index(k) if k in keys else None for k in marked)
        found = match(
            inbound.text,
            [label for label, _ in options],
            (yes_no[0], yes_no[1]),
            self._forms(texts.YES_WORDS),
            self._forms(texts.NO_WORDS),
        )
        self.tied = tuple(options[i][0] for i in found.tied)
        return options[found.index][1] if found.index is not None else None

    def _forms(self, words: str) -> list[str]:
        """The folded yes-words or no-words of the resident's language."""
        return [fold(w) for w in self.r.ui(words).split(",")]

    def _unreadable(self, inbound: Inbound) -> bool:
        """A text with nothing to read (only emoji, symbols, punctuation or spaces)."""
        return inbound.kind == "text" and self.state.stage != "new" and not fold(inbound.text)

    def _which_one(self) -> None:
        """Two options fit a typed answer equally well: ask which, naming both."""
        first, second = self.tied[0], self.tied[1]
        self.r.say(self.r.ui(texts.WHICH_ONE, first=first, second=second))
        self.reprompt()

    def _asks_phone(self) -> bool:
        """Whether the question on screen asks for a phone number (a shared contact answers it)."""
        run = self.state.run
        if self.state.stage != "ready" or run is None or run.status != "active":
            return False
        here = Runner(self.r).current()
        return here is not None and here[2].kind == "ask" and here[2].input == "phone"

    def _button(self, payload: str) -> str:
        """The option a button payload names, STALE when it is old, forged or out of range."""
        flow = FLOW_PAYLOAD.fullmatch(payload)
        if flow is not None:
            return self._flow_button(flow[1])
        parsed = BUTTON_PAYLOAD.fullmatch(payload)
        if parsed is None or int(parsed[1]) != self.state.prompt.seq:
            return STALE
        index = int(parsed[2])
        options = self.state.prompt.options
        return options[index][1] if index < len(options) else STALE

    def _flow_button(self, flow_id: str) -> str:
        """A broadcast's button: start its flow (a tap recorded), if the resident can now."""
        if self.state.stage != "ready" or self.r.ctx.flows.current(flow_id) is None:
            return STALE
        self.r.effect("broadcast_tap", flow_id=flow_id)
        return f"f:{flow_id}"

    def _word(self, inbound: Inbound, key: str | None) -> str | None:
        if inbound.kind == "word":
            return inbound.payload
        if key is not None and key.startswith(WORD_KEY) and key[len(WORD_KEY) :] in WORDS:
            return key[len(WORD_KEY) :]  # an option that is one of the words (the reminder's help)
        if inbound.kind == "text" and key is None:
            words = self.r.ctx.words
            plain = strip_fillers(fold(inbound.text))[-1]  # "trợ giúp ạ", "menu nhé"
            return word_of(inbound.text, words) or word_of(plain, words)
        return None

    # --- stages ----------------------------------------------------------------------------

    def ready(self, inbound: Inbound, key: str | None) -> None:
        stage = self.state.stage
        run = self.state.run
        if stage == "requires":
            menu.answer_requires(self.r, key)
        elif stage == "forget":
            self._forget_answer(key)
        elif stage == "language":
            self._language_answer(key)
        elif key == "resume":
            menu.resume(self.r)
        elif key is not None and key.startswith("f:"):
            menu.choose_flow(self.r, key[2:])
        elif key is not None and key.startswith("g:"):
            menu.show_group(self.r, key[2:])
        elif run is not None and run.status == "active":
            answer(Runner(self.r), inbound, key)
        elif run is not None:
            menu.resume(self.r)
        else:
            menu.show_menu(self.r)

    def _run_is_lost(self) -> bool:
        """Whether the run's flow version or step can no longer be found (a file was removed)."""
        return self.state.run is not None and Runner(self.r).current() is None

    def _drop_lost_run(self) -> None:
        """End a lost run and say so; the message is then handled as if there were no run."""
        run = self.state.run
        assert run is not None
        self.r.event("run_ended", flow_id=run.flow_id, version=run.version, detail="cancelled")
        self.state.run = None
        self.r.say(self.r.ui(texts.FLOW_CHANGED))

    def reprompt(self) -> None:
        """Show again what the resident was asked last."""
        stage = self.state.stage
        if stage in onboarding.ONBOARDING_STAGES:
            onboarding.reprompt(self.r)
        elif stage == "forget":
            self._ask_forget()
        elif stage == "language":
            onboarding.ask_language(self.r, "language")
        elif stage == "requires":
            flow_id = self.state.pending.get("requires", [""])[0]
            self.state.stage = "ready"
            menu.choose_flow(self.r, flow_id)
        elif not (self.state.run and self.state.run.status == "active" and Runner(self.r).reshow()):
            menu.show_menu(self.r)

    # --- conversation-wide words -----------------------------------------------------------

    def word(self, word: str) -> None:
        self.r.event("word", detail=word)
        getattr(self, f"_word_{word}", self.reprompt)()

    def _word_menu(self) -> None:
        if self.state.stage in onboarding.ONBOARDING_STAGES:
            self.reprompt()
            return
        self._pause()
        menu.show_menu(self.r)

    def _word_stop(self) -> None:
        if self.state.stage in onboarding.ONBOARDING_STAGES or self.state.run is None:
            self.reprompt()
            return
        self._pause()
        self.state.stage = "ready"
        self.r.ask(self.r.ui(texts.PAUSED))

    def _pause(self) -> None:
        run = self.state.run
        if run is not None and run.status == "active":
            run.status = "paused"
            self.r.event("flow_paused", flow_id=run.flow_id, version=run.version)

    def _word_help(self) -> None:
        runner = Runner(self.r)
        here = runner.current()
        flow_id, step_id = (here[1].id, here[2].id) if here else (None, None)
        self.r.effect("followup", detail="asked", flow_id=flow_id, step_id=step_id)
        self.r.event("help", flow_id=flow_id, step_id=step_id, detail="asked")
        self.r.say(runner.help_text())
        self.reprompt()

    def _word_back(self) -> None:
        run = self.state.run
        if run is None or run.status != "active" or self.state.stage != "ready":
            self.reprompt()
            return
        Runner(self.r).walk("back")

    def _word_progress(self) -> None:
        self.r.say(menu.progress_text(self.r))
        self.reprompt()

    def _word_staff(self) -> None:
        """A staff command typed by a resident: say it is for staff, keep their place."""
        self.r.say(self.r.ui(texts.STAFF_ONLY))
        self.reprompt()

    def _word_privacy(self) -> None:
        self.r.say(menu.privacy_text(self.r))
        self.reprompt()

    def _word_language(self) -> None:
        if len(self.r.ctx.commune.languages) < 2:
            self.r.say(self.r.ui(texts.ONLY_ONE_LANGUAGE))
            self.reprompt()
            return
        self.state.pending["return_stage"] = self.state.stage
        onboarding.ask_language(self.r, "language")

    def _language_answer(self, key: str | None) -> None:
        if key and key.startswith("lang:"):
            self.state.lang = key[5:]
            self.state.stage = self.state.pending.pop("return_stage", "ready")
        self.reprompt()

    def _word_link(self) -> None:
        """A code for a new messenger; on a new messenger, where to type that code."""
        stage = self.state.stage
        if self.state.household_code:
            linking.give_code(self.r)
        elif stage in onboarding.ONBOARDING_STAGES and stage not in linking.STAGES:
            linking.begin(self.r)
            return
        self.reprompt()

    def _word_forget(self) -> None:
        if not self.state.consent:
            self.r.say(self.r.ui(texts.FORGET_NOTHING))
            self.reprompt()
            return
        self.state.pending["return_stage"] = self.state.stage
        self._ask_forget()

    def _ask_forget(self) -> None:
        self.state.stage = "forget"
        options = [(self.r.ui(texts.FORGET_YES), "yes"), (self.r.ui(texts.FORGET_NO), "no")]
        self.r.ask(self.r.ui(texts.FORGET_CONFIRM), options, yes_no=("yes", "no"))

    def _forget_answer(self, key: str | None) -> None:
        if key == "yes":
            self.r.effect("forget")
            self.r.event("forgotten")
            self.r.say(forgotten_text(self.r))
            self.r.state = State(prompt=Prompt(self.state.prompt.seq))
            return
        if key != "no":  # never a silent no: say what each answer does, and ask again
            yes, no = self.r.ui(texts.FORGET_YES), self.r.ui(texts.FORGET_NO)
            self.r.say(self.r.ui(texts.FORGET_UNCLEAR, yes=yes, no=no))
            self._ask_forget()
            return
        self.state.stage = self.state.pending.pop("return_stage", "ready")
        self.r.say(self.r.ui(texts.NOT_FORGOTTEN))
        self.reprompt()


def forgotten_text(reply: Reply) -> str:
    """What forgetting deleted, named: the name, village, household, steps and consent kept."""
    state = reply.state
    kept = (
        (state.name, texts.FORGOTTEN_NAME),
        (state.village_id, texts.FORGOTTEN_VILLAGE),
        (state.household_code, texts.FORGOTTEN_HOUSEHOLD),
        (state.runs_started or state.milestones, texts.FORGOTTEN_STEPS),
        (state.consent, texts.FORGOTTEN_CONSENT),
    )
    parts = [reply.ui(text) for value, text in kept if value]
    what = ", ".join(parts[:-1]) + f" {reply.ui(texts.FORGOTTEN_AND)} " + parts[-1]
    return reply.ui(texts.FORGOTTEN_WHAT, what=what if len(parts) > 1 else parts[-1])
