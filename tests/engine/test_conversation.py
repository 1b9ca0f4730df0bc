"""The engine's behaviour on a small flow that uses every kind of step, input and target."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine.texts import CONSENT_VERSION
from bot.engine.types import Inbound
from tests.engine.chat import Chat, registry_of

BASIC = Path(__file__).resolve().parents[1] / "data" / "flows_basic"


def _started(folder: Path, title: str) -> Chat:
    """A resident who has onboarded and chosen the flow with this title from the menu."""
    chat = Chat(registry_of(folder))
    chat.onboard()
    chat.tap(title)
    return chat


@pytest.fixture
def chat() -> Chat:
    return _started(BASIC, "Thử nghiệm")


def test_onboarding_records_consent_name_village_and_household() -> None:
    chat = Chat(registry_of(BASIC))
    chat.send(Inbound("start"))
    assert "đồng ý" in chat.said()
    chat.tap("Đồng ý")
    chat.text("  Bàn  Thị Huấn ")
    assert chat.said() == "Mình nên gọi bà con là gì?"
    chat.text("bác ạ")
    assert chat.said() == "Chào bác Huấn! Bác ở thôn nào?"
    chat.tap("Nà Khau")
    chat.tap("Hộ mới")
    kinds = [(e.kind, e.detail) for e in chat.effects]
    assert kinds == [("consent", CONSENT_VERSION), ("create_household", "123456")]
    assert chat.state.name == "Bàn Thị Huấn"  # runs of spaces made one
    assert chat.state.village_id == "na_khau" and chat.state.address == "bác"
    assert "123456" in chat.said()
    assert chat.labels() == ["Thử nghiệm"]


def test_refusing_consent_stores_nothing_and_asks_again_later() -> None:
    chat = Chat(registry_of(BASIC))
    chat.send(Inbound("start"))
    chat.tap("Không đồng ý")
    assert chat.effects == [] and not chat.state.consent
    chat.text("xin chào")
    assert "Bà con có đồng ý không?" in chat.said()


def test_joining_a_household_by_its_code() -> None:
    chat = Chat(registry_of(BASIC))
    chat.send(Inbound("start"))
    chat.tap("Đồng ý")
    chat.text("Lan")
    chat.text("bác")
    chat.tap("Bản Cậy")
    chat.tap("Đã có mã hộ")
    chat.text("999 999 999 9")
    assert "Không có hộ nào có mã bác vừa gõ (10 chữ số)." in chat.said()
    assert "999" not in chat.said()
    chat.facts = chat.facts.__class__(household_found="4829137705")
    chat.text("4829 1377 05")
    assert [(e.kind, e.detail) for e in chat.effects][-1] == ("join_household", "4829137705")
    assert chat.state.household_code == "4829137705"
    assert "Bác đã vào hộ có mã 4829 1377 05." in chat.said()


def test_builtin_placeholders_are_filled(chat: Chat) -> None:
    assert chat.said() == "Chào Bàn Thị Huấn ở thôn Nà Khau."


def test_wrong_answer_gets_a_specific_reason_and_the_question_again(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("01662345678")
    assert chat.last[0].text == (
        "Đây là số cũ 11 chữ số: đầu số 0166 nay đã đổi thành 036. Bác gõ số mới (10 chữ số) nhé."
    )
    assert chat.last[1].text == "Số điện thoại của bác?"
    assert chat.last[1].request == "phone"
    assert chat.state.run is not None and chat.state.run.top.step_id == "phone"


def test_too_many_wrong_answers_open_a_follow_up(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("abc")
    chat.text("123")
    followups = [e for e in chat.effects if e.kind == "followup"]
    assert [(f.detail, f.flow_id, f.step_id) for f in followups] == [("retries", "sample", "phone")]
    assert "Hoàng Văn Bình (0912345678)" in chat.said()
    assert chat.last[-1].text == "Số điện thoại của bác?"


def test_a_shared_contact_answers_a_phone_question(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.send(Inbound("contact", text="+84 912 345 678"))
    assert chat.state.run is not None
    assert chat.state.run.top.vars["phone"] == "0912345678"


def test_sensitive_answers_are_stored_masked(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("0912345678")
    chat.text("008 203 001 234")
    assert chat.state.run is not None
    assert chat.state.run.top.vars["idno"] == "••••••••1234"


def _to_choice(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("0912345678")
    chat.text("008203001234")


def test_choices_by_label_without_diacritics_by_number_and_long_form_values(chat: Chat) -> None:
    _to_choice(chat)
    chat.text("TREN MANG")
    assert chat.state.run is not None and chat.state.run.top.vars["place"] == "online"
    chat.send(Inbound("word", payload="back"))
    chat.text("1")
    assert chat.state.run.top.vars["place"] == "Tại xã"


def test_a_choice_with_a_help_target_opens_a_follow_up(chat: Chat) -> None:
    _to_choice(chat)
    chat.tap("Chưa biết")
    assert [e.detail for e in chat.effects if e.kind == "followup"] == ["asked"]


def test_branch_goto_sub_flow_and_completion(chat: Chat) -> None:
    _to_choice(chat)
    chat.tap("Trên mạng")
    chat.text("co")
    assert chat.said() == "Đây là bước phụ."
    chat.tap("Hiểu rồi")
    assert "Xong. Số của bác là 0912345678, nộp online." in chat.said()
    assert chat.state.milestones == {"sub_done", "sample_step_done", "sample_done"}
    ended = [(e.flow_id, e.detail) for e in chat.kinds("run_ended")]
    assert ended == [("sample", "completed")]


def test_branch_else_and_a_cancelling_end(chat: Chat) -> None:
    _to_choice(chat)
    chat.tap("Tại xã")
    chat.text("không")
    assert "công an xã" in chat.said()
    assert [e.detail for e in chat.kinds("run_ended")] == ["cancelled"]
    assert "sample_done" not in chat.state.milestones


def test_back_asks_the_previous_question_again(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("0912345678")
    chat.text("quay lai")
    assert chat.said() == "Số điện thoại của bác?"


def test_a_stale_button_shows_the_current_question_and_does_nothing_else(chat: Chat) -> None:
    old_buttons = chat.last
    chat.tap("Bắt đầu")
    chat.last = old_buttons
    chat.tap("Để sau")
    assert chat.last[0].text.startswith("Nút đó thuộc câu hỏi trước")
    assert chat.last[1].text == "Số điện thoại của bác?"
    assert chat.state.run is not None and chat.state.run.status == "active"


def test_stop_pauses_and_any_message_resumes_at_the_same_step(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("tạm dừng")
    assert chat.state.run is not None and chat.state.run.status == "paused"
    chat.text("chào")
    assert chat.said() == "Số điện thoại của bác?"
    assert chat.state.run.status == "active"


def test_menu_pauses_the_run_and_offers_to_resume_it(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("MENU")
    assert chat.labels() == ["Tiếp tục: Thử nghiệm", "Thử nghiệm"]
    chat.tap("Tiếp tục: Thử nghiệm")
    assert chat.said() == "Số điện thoại của bác?"


def test_help_word_opens_a_follow_up_and_keeps_the_step(chat: Chat) -> None:
    chat.tap("Bắt đầu")
    chat.text("Trợ giúp")
    assert [(e.kind, e.detail, e.step_id) for e in chat.effects][-1] == (
        "followup",
        "asked",
        "phone",
    )
    assert chat.last[-1].text == "Số điện thoại của bác?"


def test_progress_and_privacy(chat: Chat) -> None:
    chat.text("tien do")
    said = chat.said()
    assert "Bác chưa hoàn thành việc nào.\nMình đang giúp bác bước 1/5 của Thử nghiệm." in said
    assert "Những việc bác đã làm được" not in said  # no heading over nothing
    chat.text("quyền riêng tư")
    assert "• tên: Bàn Thị Huấn" in chat.said() and "• mã hộ: 123456" in chat.said()


def test_forget_asks_for_confirmation_then_deletes_and_starts_over(chat: Chat) -> None:
    chat.text("xoa du lieu")
    chat.tap("Không xoá")
    assert not any(e.kind == "forget" for e in chat.effects)
    chat.text("xoá dữ liệu")
    chat.tap("Xoá hết")
    assert chat.effects[-1].kind == "forget"
    assert chat.state.name is None and chat.state.stage == "new" and not chat.state.consent
    chat.text("xin chào")
    assert "Bà con có đồng ý không?" in chat.said()


def test_the_run_stays_in_the_version_it_started_in(chat: Chat, tmp_path: Path) -> None:
    chat.tap("Bắt đầu")
    changed = tmp_path / "flows"
    shutil.copytree(BASIC, changed)
    sample = changed / "sample.yaml"
    sample.write_text(sample.read_text().replace("Số định danh cá nhân?", "Số CCCD?"))
    new = registry_of(changed)
    old_version = chat.state.run.version if chat.state.run else ""
    new.replace({**{f.id: f for f in new.all_current()}})
    for flow in chat.flows.all_current():
        new.keep(flow)
    chat.flows = new
    chat.text("0912345678")
    assert chat.said() == "Số định danh cá nhân?"
    assert chat.state.run is not None and chat.state.run.version == old_version
    chat.text("menu")
    chat.text("2")
    assert chat.said() == "Số định danh cá nhân?"
    assert chat.state.run.version == old_version
    newcomer = Chat(new)
    newcomer.onboard()
    newcomer.tap("Thử nghiệm")
    newcomer.tap("Bắt đầu")
    newcomer.text("0912345678")
    assert newcomer.said() == "Số CCCD?"
    assert newcomer.state.run is not None and newcomer.state.run.version != old_version


def test_remind_and_expire_times_are_set_on_the_run(chat: Chat) -> None:
    run = chat.state.run
    assert run is not None
    assert run.remind_at == "2026-12-01T09:00:00+07:00"
    assert run.expire_at == "2026-12-09T09:00:00+07:00"


EDGE = Path(__file__).resolve().parents[1] / "data" / "flows_edge"


@pytest.fixture
def edge() -> Chat:
    return _started(EDGE, "Trường hợp đặc biệt")


def test_a_stray_brace_in_a_text_is_shown_as_written(edge: Chat) -> None:
    assert edge.said() == "Giá {lệ phí} là 0 đồng, Bàn Thị Huấn."


def test_a_lang_media_path_names_the_residents_file_and_the_vietnamese_fallback(
    edge: Chat,
) -> None:
    media = edge.last[0].media[0]
    assert (media.kind, media.path, media.fallback) == ("audio", "audio/vi/intro.ogg", "")
    edge.state.lang = "tyz"
    edge.text("quay lai")
    media = edge.last[-1].media[0]
    assert (media.path, media.fallback) == ("audio/tyz/intro.ogg", "audio/vi/intro.ogg")


def test_back_as_a_button_target_goes_to_the_previous_question(edge: Chat) -> None:
    edge.tap("Tiếp")
    edge.text("70")
    edge.send(Inbound("word", payload="back"))
    assert edge.said() == "Bác bao nhiêu tuổi?"
    edge.send(Inbound("word", payload="back"))
    assert edge.said().startswith("Giá {lệ phí}")
    edge.tap("Quay lại")
    assert edge.said() == "Đây là bước đầu tiên rồi.\nGiá {lệ phí} là 0 đồng, Bàn Thị Huấn."


def test_goto_on_a_say_step_shows_it_then_runs_the_sub_flow(edge: Chat) -> None:
    edge.tap("Tiếp")
    edge.text("70")
    assert [m.text for m in edge.last] == [
        "Mình sẽ giải thích thêm một bước.",
        "Đây là bước thêm.",
        "Bác hiểu chưa?",
    ]


def test_end_on_a_question_ends_the_flow_once_it_is_answered(edge: Chat) -> None:
    edge.tap("Tiếp")
    edge.text("70")
    edge.text("rồi")
    assert [(e.flow_id, e.detail) for e in edge.kinds("run_ended")] == [("edge", "completed")]


def test_wrong_answers_are_counted_per_question(edge: Chat) -> None:
    edge.tap("Tiếp")
    edge.text("bảy mươi")
    edge.send(Inbound("word", payload="back"))
    edge.tap("Tiếp")
    edge.text("bảy mươi")
    assert not [e for e in edge.effects if e.kind == "followup"]


def test_a_run_whose_flow_is_gone_returns_to_the_menu_with_a_word(edge: Chat) -> None:
    edge.flows = registry_of(BASIC)
    edge.text("70")
    assert edge.last[0].text == "Hướng dẫn này vừa được cập nhật. Mình đưa bác về menu."
    assert edge.state.run is None and edge.labels() == ["Thử nghiệm"]


def test_a_flow_that_ends_with_a_sub_flow_completes_when_it_returns() -> None:
    chat = _started(EDGE, "Kết thúc bằng bước phụ")
    chat.tap("Tiếp")
    assert "Đây là bước thêm." in chat.said()
    assert [(e.flow_id, e.detail) for e in chat.kinds("run_ended")] == [("tail", "completed")]
    assert 'Xong "Kết thúc bằng bước phụ"' in chat.said()


def test_back_after_asking_for_help_goes_to_the_question_before() -> None:
    chat = _started(EDGE, "Kết thúc bằng bước phụ")
    chat.tap("Cần người giúp")
    assert [e.detail for e in chat.effects if e.kind == "followup"] == ["asked"]
    chat.text("quay lại")
    assert chat.said() == "Đây là bước đầu tiên rồi.\nBác cần biết thêm một bước."


def test_back_in_a_run_whose_flow_is_gone_shows_the_menu(edge: Chat) -> None:
    edge.flows = registry_of(BASIC)
    edge.text("quay lại")
    assert edge.last[0].text == "Hướng dẫn này vừa được cập nhật. Mình đưa bác về menu."
    assert edge.state.run is None and edge.labels() == ["Thử nghiệm"]


@pytest.mark.parametrize(
    "payload",
    ["{seq}.²", "{seq}.¹", "{seq}.٣", "{seq}.0\n", " {seq}.0", "{seq}.", "1.2.3", "", "9" * 5000],
)
def test_a_payload_that_is_not_ours_is_a_stale_tap(chat: Chat, payload: str) -> None:
    seq = chat.state.prompt.seq
    replies = chat.send(Inbound("button", payload=payload.format(seq=seq)))
    assert replies[0].text.startswith("Nút đó thuộc câu hỏi trước")
    assert [b.label for b in replies[-1].buttons] == ["Bắt đầu", "Để sau"]
    assert chat.state.prompt.seq == seq + 1


@pytest.mark.parametrize("payload", ["h_١٢٣٤٥٦", "h_" + "1" * 5000, "h_12 34", "h_12\n"])
def test_a_deep_link_that_is_not_ours_joins_nothing(payload: str) -> None:
    chat = Chat(registry_of(BASIC))
    chat.send(Inbound("start", payload=payload))
    assert "join_code" not in chat.state.pending
