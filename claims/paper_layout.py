"""Where each value of the CMS-1500 (02/12) is printed: the form's grid, in one table.

The form is 8.5 x 11 in, printed at 10 characters per inch and 6 lines per inch. A cell is
(line, column, width) on that grid, both 1-based, counted from the top-left corner of the page;
`align="right"` ends the value at the cell's last column (dollar amounts, whose cents go in a
cell of their own after the form's dollars|cents divider).

Source: the NUCC 1500 Health Insurance Claim Form Reference Instruction Manual for form
version 02/12 (which item holds what, and what goes in it) and the red OCR form's print grid of
10 characters and 6 lines per inch, printed in 12 pt Courier (pica). Each item's line and column
is where print-on-form billing software puts it on the 02/12 form (the same grid as OpenEMR's
CMS-1500 print, whose default page margins `X0`/`Y0` follow). They are the only offsets from the
page's corner: a printer that feeds the form shifted is corrected there, not cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_WIDTH = 612.0  # points: 8.5 in
PAGE_HEIGHT = 792.0  # points: 11 in
CHAR = 72 / 10  # 10 characters per inch
LINE = 72 / 6  # 6 lines per inch
X0 = 20.0  # left edge of column 1, points from the page's left edge
Y0 = 22.5  # top of line 1, points from the page's top edge
LINES_PER_PAGE = 6  # service lines (24A-J) on one form; more go on continuation pages
DIAGNOSES_PER_CLAIM = 12  # 21A-L


@dataclass(frozen=True)
class Cell:
    line: int
    col: int
    width: int
    align: str = "left"


def x_of(col: float) -> float:
    """The left edge of a column, in points from the page's left edge."""
    return X0 + (col - 1) * CHAR


def y_top(line: float) -> float:
    """The top of a line, in points from the page's *bottom* edge (PDF coordinates)."""
    return PAGE_HEIGHT - (Y0 + (line - 1) * LINE)


FONT_SIZE = 12.0  # Courier 12 is exactly 10 characters an inch
BASELINE_DROP = 9.5  # from a line's top to the baseline of its text


def baseline(line: int) -> float:
    return y_top(line) - BASELINE_DROP


def _service_line(n: int) -> dict[str, Cell]:
    """Box 24 line n (1-6): the data line under the shaded supplemental line."""
    line = 42 + 2 * n
    return {
        f"24a_from_mm_{n}": Cell(line, 1, 2),
        f"24a_from_dd_{n}": Cell(line, 4, 2),
        f"24a_from_yy_{n}": Cell(line, 7, 2),
        f"24a_to_mm_{n}": Cell(line, 10, 2),
        f"24a_to_dd_{n}": Cell(line, 13, 2),
        f"24a_to_yy_{n}": Cell(line, 16, 2),
        f"24b_{n}": Cell(line, 19, 2),
        f"24c_{n}": Cell(line, 22, 1),
        f"24d_code_{n}": Cell(line, 25, 6),
        f"24d_mod1_{n}": Cell(line, 33, 2),
        f"24d_mod2_{n}": Cell(line, 36, 2),
        f"24d_mod3_{n}": Cell(line, 39, 2),
        f"24d_mod4_{n}": Cell(line, 42, 2),
        f"24e_{n}": Cell(line, 45, 4),
        f"24f_dollars_{n}": Cell(line, 50, 6, "right"),
        f"24f_cents_{n}": Cell(line, 56, 2),
        f"24g_{n}": Cell(line, 59, 3, "right"),
        f"24h_{n}": Cell(line, 63, 2),
        f"24j_{n}": Cell(line, 68, 10),
    }


def _diagnosis_cells() -> dict[str, Cell]:
    """Box 21 A-L: four across (A B C D / E F G H / I J K L), on lines 38-40."""
    return {
        f"21_{'ABCDEFGHIJKL'[i]}": Cell(38 + i // 4, 3 + 13 * (i % 4), 8)
        for i in range(DIAGNOSES_PER_CLAIM)
    }


CELLS: dict[str, Cell] = {
    # Carrier block (top right): the payer's name and claims address.
    "carrier_name": Cell(2, 41, 31),
    "carrier_address1": Cell(3, 41, 31),
    "carrier_address2": Cell(4, 41, 31),
    "carrier_city": Cell(5, 41, 31),
    # Not an item of the form: "PAGE 1 OF 2" for a claim on more than one form.
    "page": Cell(2, 12, 14),
    # 1 insurance type (one X), 1a insured's ID number.
    "1_medicare": Cell(8, 1, 1),
    "1_medicaid": Cell(8, 8, 1),
    "1_tricare": Cell(8, 15, 1),
    "1_champva": Cell(8, 24, 1),
    "1_group": Cell(8, 31, 1),
    "1_feca": Cell(8, 39, 1),
    "1_other": Cell(8, 45, 1),
    "1a": Cell(8, 50, 29),
    # 2 patient's name, 3 birth date (MM DD YYYY) and sex, 4 insured's name.
    "2": Cell(10, 1, 28),
    "3_mm": Cell(10, 31, 2),
    "3_dd": Cell(10, 34, 2),
    "3_yyyy": Cell(10, 37, 4),
    "3_m": Cell(10, 42, 1),
    "3_f": Cell(10, 47, 1),
    "4": Cell(10, 50, 29),
    # 5 patient's address, 6 relationship to insured, 7 insured's address.
    "5_street": Cell(12, 1, 28),
    "6_self": Cell(12, 33, 1),
    "6_spouse": Cell(12, 38, 1),
    "6_child": Cell(12, 42, 1),
    "6_other": Cell(12, 47, 1),
    "7_street": Cell(12, 50, 29),
    "5_city": Cell(14, 1, 24),
    "5_state": Cell(14, 26, 2),
    "7_city": Cell(14, 50, 23),
    "7_state": Cell(14, 74, 2),
    "5_zip": Cell(16, 1, 12),
    "5_phone_area": Cell(16, 15, 3),
    "5_phone": Cell(16, 19, 8),
    "7_zip": Cell(16, 50, 12),
    "7_phone_area": Cell(16, 65, 3),
    "7_phone": Cell(16, 69, 8),
    # 9 other insured, 10 condition related to, 11 insured's policy group.
    "9": Cell(18, 1, 28),
    "11": Cell(18, 50, 29),
    "9a": Cell(20, 1, 28),
    "10a_yes": Cell(20, 35, 1),
    "10a_no": Cell(20, 41, 1),
    "11a_mm": Cell(20, 53, 2),
    "11a_dd": Cell(20, 56, 2),
    "11a_yyyy": Cell(20, 59, 4),
    "11a_m": Cell(20, 68, 1),
    "11a_f": Cell(20, 75, 1),
    "10b_yes": Cell(22, 35, 1),
    "10b_no": Cell(22, 41, 1),
    "10c_yes": Cell(24, 35, 1),
    "10c_no": Cell(24, 41, 1),
    "11c": Cell(24, 50, 29),
    "9d": Cell(26, 1, 28),
    "11d_yes": Cell(26, 52, 1),
    "11d_no": Cell(26, 57, 1),
    # 12 patient's signature, 13 insured's signature (authorizes payment to the provider).
    "12": Cell(29, 7, 20),
    "12_date": Cell(29, 36, 8),
    "13": Cell(29, 56, 20),
    # 19 additional claim information, 20 outside lab.
    "19": Cell(36, 1, 48),
    "20_yes": Cell(36, 52, 1),
    "20_no": Cell(36, 57, 1),
    # 21 ICD indicator (0 = ICD-10-CM), 22 resubmission, 23 prior authorization.
    "21_ind": Cell(37, 42, 1),
    **_diagnosis_cells(),
    "22_code": Cell(38, 50, 10),
    "22_original": Cell(38, 62, 18),
    "23": Cell(40, 50, 29),
    **{name: cell for n in range(1, LINES_PER_PAGE + 1) for name, cell in _service_line(n).items()},
    # 25 federal tax ID (SSN or EIN), 26 patient's account no., 27 accept assignment,
    # 28 total charge, 29 amount paid.
    "25": Cell(56, 1, 15),
    "25_ssn": Cell(56, 17, 1),
    "25_ein": Cell(56, 19, 1),
    "26": Cell(56, 23, 14),
    "27_yes": Cell(56, 38, 1),
    "27_no": Cell(56, 43, 1),
    "28_dollars": Cell(56, 50, 8, "right"),
    "28_cents": Cell(56, 58, 2),
    "28_continued": Cell(56, 50, 10),  # instead of the total, on all but a claim's last form
    "29_dollars": Cell(56, 61, 7, "right"),
    "29_cents": Cell(56, 68, 2),
    # 31 physician's signature, 32 service facility, 33 billing provider (phone on its label line).
    "33_phone_area": Cell(57, 66, 3),
    "33_phone": Cell(57, 70, 8),
    "32_name": Cell(58, 23, 26),
    "33_name": Cell(58, 50, 29),
    "32_street": Cell(59, 23, 26),
    "33_street": Cell(59, 50, 29),
    "31": Cell(60, 1, 20),
    "32_city": Cell(60, 23, 26),
    "33_city": Cell(60, 50, 29),
    "31_date": Cell(61, 12, 8),
    "32a": Cell(61, 23, 10),
    "33a": Cell(61, 50, 10),
}
