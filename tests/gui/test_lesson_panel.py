"""The Lesson tab: the list of lessons before one is open, and how its text is drawn."""

from __future__ import annotations

import re

from PySide6.QtCore import QUrl

from gui.lessons import load_lessons
from gui.panels.lesson_panel import LessonPanel
from tests.gui.conftest import shown


def test_with_no_lesson_open_the_tab_lists_every_lesson_as_a_link_that_opens_it(qtbot) -> None:
    """It was blank but for a "Play this lesson" button that did nothing."""
    lessons = load_lessons()
    panel = shown(qtbot, LessonPanel(), (300, 700))
    panel.show_choices(lessons, "en")
    page = panel.body.toHtml()
    links = re.findall(r'href="lesson:([a-z0-9-]+)"', page)
    assert links == [lesson.id for lesson in lessons if lesson.kind == "lesson"] + [
        lesson.id for lesson in lessons if lesson.kind == "compare"
    ]
    for lesson in lessons:
        assert lesson.text("title", "en").split()[0] in page
    assert panel.play_button.isHidden() and panel.close_button.isHidden() and panel.watch_label.isHidden()
    with qtbot.waitSignal(panel.chosen) as blocker:
        panel.body.anchorClicked.emit(QUrl(f"lesson:{lessons[2].id}"))
    assert blocker.args == [lessons[2]]
    with qtbot.assertNotEmitted(panel.chosen):
        panel.body.anchorClicked.emit(QUrl("https://example.org"))  # no other link goes anywhere
    panel.show_lesson(lessons[2], "en")
    assert not panel.play_button.isHidden() and not panel.close_button.isHidden()
    panel.show_choices(lessons, "en")  # a lesson is open: it stays
    assert panel.lesson is lessons[2] and not panel.play_button.isHidden()


def test_the_list_in_persian_runs_right_to_left_with_persian_titles(qtbot) -> None:
    lessons = load_lessons()
    panel = shown(qtbot, LessonPanel(), (300, 700))
    panel.show_choices(lessons, "fa")
    assert panel.layoutDirection().name == "RightToLeft"
    plain = panel.body.toPlainText()
    for mark, plain_char in (("\u202a", ""), ("\u202c", ""), ("\u00a0", " ")):
        plain = plain.replace(mark, plain_char)
    for lesson in lessons:
        assert lesson.text("title", "fa").replace("\u00a0", " ") in plain


def test_a_long_lessons_scroll_bar_is_drawn_by_the_style_not_as_a_black_block(qtbot) -> None:
    """A style sheet on the text reached its scroll bar: its handle drew as a black block."""
    lessons = load_lessons()
    panel = shown(qtbot, LessonPanel(), (300, 420))
    panel.show_lesson(lessons[2], "en")
    bar = panel.body.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() > 0)
    image = bar.grab().toImage()
    dark = sum(
        image.pixelColor(x, y).lightness() < 60 for x in range(image.width()) for y in range(image.height())
    )
    assert dark < image.width() * 3  # arrows' outlines at most, no block
