from decimal import Decimal

from django.template import Context, Template

from core.suppression import MASK, is_small, suppress, suppress_row


def test_small_counts_are_masked_zero_and_large_are_not():
    assert [suppress(v, reveal=False) for v in (0, 1, 4, 5, 120, None)] == [0, MASK, MASK, 5, 120, None]
    assert suppress(Decimal(3), reveal=False) == MASK
    assert not is_small(0) and is_small(1) and is_small(4) and not is_small(5)


def test_case_officers_see_exact_values():
    assert suppress(3, reveal=True) == 3
    assert suppress_row([3, 10, 0], reveal=True) == [3, 10, 0]


def test_a_single_hidden_cell_takes_its_smallest_neighbour_with_it():
    # Total 23 shown elsewhere: hiding only the 3 would reveal it as 23 - 12 - 8.
    assert suppress_row([3, 12, 8], reveal=False) == [MASK, 12, MASK]
    # Zero is never the complement (it reveals nothing and is never suppressed).
    assert suppress_row([2, 0, 40], reveal=False) == [MASK, 0, MASK]


def test_two_hidden_cells_protect_each_other_and_no_total_needs_no_complement():
    assert suppress_row([2, 3, 40], reveal=False) == [MASK, MASK, 40]
    assert suppress_row([2, 30, 40], reveal=False, has_total=False) == [MASK, 30, 40]


def test_template_filter():
    out = Template("{% load vn %}{{ a|suppress }}|{{ b|suppress }}|{{ a|suppress:True }}|{{ c|suppress }}").render(
        Context({"a": 3, "b": 0, "c": 17})
    )
    assert out == "&lt;5|0|3|17"  # escaped like any text; the browser shows "<5"
