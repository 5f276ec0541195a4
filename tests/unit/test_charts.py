"""A chart on a page read right to left is the mirror image of the one read left to right."""
from __future__ import annotations

from app.insights.charts import Series, bar_chart


def test_the_mirrored_drawing_has_its_scale_on_the_right_and_the_first_category_on_the_right():
    chart = bar_chart("c", "Title", "Summary", ["2024", "2025", "2026"], [Series("Ideas", [3, 8, 12])],
                      notes=[["3", "8", "12"]])
    for drawing in chart.drawings:
        width = drawing.size.width
        mirrored = drawing.mirror()
        assert (drawing.axis, mirrored.axis) == (drawing.size.left, width - drawing.size.left)
        assert drawing.tick_x < drawing.axis < mirrored.axis < mirrored.tick_x
        assert (drawing.far_edge, mirrored.far_edge) == (width, 0)
        for bar, image in zip(drawing.bars, mirrored.bars, strict=True):
            assert abs((bar.x + bar.width / 2) + (image.x + image.width / 2) - width) < 0.2
            assert (image.y, image.height, image.value) == (bar.y, bar.height, bar.value)
        assert [x for x, _lines in mirrored.labels] == [width - x for x, _lines in drawing.labels]
        assert mirrored.labels[0][0] > mirrored.labels[-1][0]  # the first year on the right
        assert [x for x, _y, _text in mirrored.notes] == [width - x for x, _y, _text in drawing.notes]
        assert mirrored.mirror() == drawing


def test_a_latin_label_on_a_mirrored_drawing_is_laid_out_left_to_right():
    drawing = bar_chart("c", "Title", "Summary", ["Tempe-Sorgenfri"], [Series("Ideas", [3])]).drawings[0]
    assert drawing.label_direction("Tempe-") is None
    mirrored = drawing.mirror()
    assert mirrored.label_direction("Tempe-") == "ltr" and mirrored.label_direction("1. Lademoen") == "ltr"
    assert mirrored.label_direction("الربع 1 2024") is None and mirrored.label_direction("2024") is None
