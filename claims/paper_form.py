"""The CMS-1500 (02/12) drawn on plain paper: its boxes, labels and check boxes, on the same grid.

Only for printing on plain paper (payers that take a printed image of the form). The red OCR form
already carries all of this; on it only the data of `claims.paper` is printed. Boxes are in grid
units of `claims.paper_layout` (lines and columns, 1-based, inclusive), so a value's cell always
falls inside the box drawn for it.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from claims.paper_layout import CELLS, CHAR, LINE, baseline, x_of, y_top

# (label, first line, last line, first column, last column): every box of the form.
BOXES: tuple[tuple[str, int, int, int, int], ...] = (
    ("1.", 7, 8, 1, 49),
    ("1a. INSURED'S I.D. NUMBER (For Program in Item 1)", 7, 8, 50, 80),
    ("2. PATIENT'S NAME (Last Name, First Name, Middle Initial)", 9, 10, 1, 30),
    ("3. PATIENT'S BIRTH DATE  MM DD YY   SEX", 9, 10, 31, 49),
    ("4. INSURED'S NAME (Last Name, First Name, Middle Initial)", 9, 10, 50, 80),
    ("5. PATIENT'S ADDRESS (No., Street)", 11, 12, 1, 30),
    ("6. PATIENT RELATIONSHIP TO INSURED", 11, 12, 31, 49),
    ("7. INSURED'S ADDRESS (No., Street)", 11, 12, 50, 80),
    ("CITY", 13, 14, 1, 25),
    ("STATE", 13, 14, 26, 30),
    ("8. RESERVED FOR NUCC USE", 13, 16, 31, 49),
    ("CITY", 13, 14, 50, 73),
    ("STATE", 13, 14, 74, 80),
    ("ZIP CODE", 15, 16, 1, 13),
    ("TELEPHONE (Include Area Code)", 15, 16, 14, 30),
    ("ZIP CODE", 15, 16, 50, 63),
    ("TELEPHONE (Include Area Code)", 15, 16, 64, 80),
    ("9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)", 17, 18, 1, 30),
    ("10. IS PATIENT'S CONDITION RELATED TO:", 17, 18, 31, 49),
    ("11. INSURED'S POLICY GROUP OR FECA NUMBER", 17, 18, 50, 80),
    ("a. OTHER INSURED'S POLICY OR GROUP NUMBER", 19, 20, 1, 30),
    ("a. EMPLOYMENT? (Current or Previous)", 19, 20, 31, 49),
    ("a. INSURED'S DATE OF BIRTH  MM DD YY        SEX", 19, 20, 50, 80),
    ("b. RESERVED FOR NUCC USE", 21, 22, 1, 30),
    ("b. AUTO ACCIDENT?          PLACE (State)", 21, 22, 31, 49),
    ("b. OTHER CLAIM ID (Designated by NUCC)", 21, 22, 50, 80),
    ("c. RESERVED FOR NUCC USE", 23, 24, 1, 30),
    ("c. OTHER ACCIDENT?", 23, 24, 31, 49),
    ("c. INSURANCE PLAN NAME OR PROGRAM NAME", 23, 24, 50, 80),
    ("d. INSURANCE PLAN NAME OR PROGRAM NAME", 25, 26, 1, 30),
    ("10d. CLAIM CODES (Designated by NUCC)", 25, 26, 31, 49),
    ("d. IS THERE ANOTHER HEALTH BENEFIT PLAN?", 25, 26, 50, 80),
    ("12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE", 27, 30, 1, 49),
    ("13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE", 27, 30, 50, 80),
    ("14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)", 31, 32, 1, 30),
    ("15. OTHER DATE", 31, 32, 31, 49),
    ("16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION", 31, 32, 50, 80),
    ("17. NAME OF REFERRING PROVIDER OR OTHER SOURCE", 33, 34, 1, 30),
    ("17a.  17b. NPI", 33, 34, 31, 49),
    ("18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES", 33, 34, 50, 80),
    ("19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)", 35, 36, 1, 49),
    ("20. OUTSIDE LAB?            $ CHARGES", 35, 36, 50, 80),
    (
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY Relate A-L to service line below (24E)",
        37,
        40,
        1,
        49,
    ),
    ("22. RESUBMISSION CODE      ORIGINAL REF. NO.", 37, 38, 50, 80),
    ("23. PRIOR AUTHORIZATION NUMBER", 39, 40, 50, 80),
    ("24. A. DATE(S) OF SERVICE From  To", 41, 42, 1, 18),
    ("B. PLACE OF SERVICE", 41, 42, 19, 21),
    ("C. EMG", 41, 42, 22, 23),
    ("D. PROCEDURES, SERVICES, OR SUPPLIES  CPT/HCPCS  MODIFIER", 41, 42, 24, 44),
    ("E. DIAGNOSIS POINTER", 41, 42, 45, 49),
    ("F. $ CHARGES", 41, 42, 50, 58),
    ("G. DAYS OR UNITS", 41, 42, 59, 62),
    ("H. EPSDT", 41, 42, 63, 64),
    ("I. ID QUAL.", 41, 42, 65, 67),
    ("J. RENDERING PROVIDER ID. #", 41, 42, 68, 80),
    ("25. FEDERAL TAX I.D. NUMBER", 55, 56, 1, 21),
    ("26. PATIENT'S ACCOUNT NO.", 55, 56, 22, 36),
    ("27. ACCEPT ASSIGNMENT?", 55, 56, 37, 49),
    ("28. TOTAL CHARGE", 55, 56, 50, 60),
    ("29. AMOUNT PAID", 55, 56, 61, 70),
    ("30. Rsvd for NUCC Use", 55, 56, 71, 80),
    ("31. SIGNATURE OF PHYSICIAN OR SUPPLIER INCLUDING DEGREES OR CREDENTIALS", 57, 61, 1, 21),
    ("32. SERVICE FACILITY LOCATION INFORMATION", 57, 61, 22, 49),
    ("33. BILLING PROVIDER INFO & PH #", 57, 61, 50, 80),
)
# Service lines 1-6 of box 24: a shaded supplemental line over each data line.
SERVICE_LINE_ROWS = tuple(range(43, 55, 2))
# Columns of box 24 that divide it top to bottom (A from|to, B, C, D, modifiers, E ... J).
SERVICE_COLUMNS = (10, 19, 22, 24, 33, 36, 39, 42, 45, 50, 59, 63, 65, 68)
# Dollars|cents dividers, each right of a dollar amount: (column, first line, last line).
CENTS_DIVIDERS = ((56, 43, 54), (58, 55, 56), (68, 55, 56), (72, 35, 36))
CAPTIONS = {
    "1_medicare": "(Medicare#)",
    "1_medicaid": "(Medicaid#)",
    "1_tricare": "(ID#/DoD#)",
    "1_champva": "(Member ID#)",
    "1_group": "(ID#)",
    "1_feca": "(ID#)",
    "1_other": "(ID#)",
    "3_m": "M",
    "3_f": "F",
    "6_self": "Self",
    "6_spouse": "Spouse",
    "6_child": "Child",
    "6_other": "Other",
    "10a_yes": "YES",
    "10a_no": "NO",
    "10b_yes": "YES",
    "10b_no": "NO",
    "10c_yes": "YES",
    "10c_no": "NO",
    "11a_m": "M",
    "11a_f": "F",
    "11d_yes": "YES",
    "11d_no": "NO",
    "20_yes": "YES",
    "20_no": "NO",
    "25_ssn": "",
    "25_ein": "",
    "27_yes": "YES",
    "27_no": "NO",
}
# Words printed on the form outside the box labels: (line, column, text), on the label's half.
WORDS = (
    (7, 2, "MEDICARE"),
    (7, 9, "MEDICAID"),
    (7, 16, "TRICARE"),
    (7, 25, "CHAMPVA"),
    (7, 32, "GROUP HEALTH PLAN"),
    (7, 40, "FECA BLK LUNG"),
    (7, 46, "OTHER"),
    (55, 17, "SSN"),
    (55, 19, "EIN"),
    (29, 1, "SIGNED"),
    (29, 31, "DATE"),
    (29, 50, "SIGNED"),
    (61, 1, "SIGNED"),
    (61, 9, "DATE"),
    (37, 37, "ICD Ind."),
    *((38 + i // 4, 1 + 13 * (i % 4), f"{'ABCDEFGHIJKL'[i]}.") for i in range(12)),
)
# Box 24's headings fill both of its lines.
HEADING_LINES = {41: 4}
LABEL_SIZE = 4.6
RED = (0.78, 0.1, 0.1)


def edge(col: int) -> float:
    """A box's border left of `col`: half a character out, so a value never touches it."""
    return x_of(col) - CHAR / 2


def _label_rows(canvas: Canvas, label: str, width: float, rows: int) -> list[str]:
    """The label's words wrapped to the box's width, in at most `rows` rows."""
    wrapped = [""]
    for word in label.split():
        candidate = f"{wrapped[-1]} {word}".strip()
        if canvas.stringWidth(candidate, "Helvetica", LABEL_SIZE) <= width or not wrapped[-1]:
            wrapped[-1] = candidate
        else:
            wrapped.append(word)
    return wrapped[:rows]


def _box(canvas: Canvas, label: str, first: int, last: int, left: int, right: int) -> None:
    top, bottom = y_top(first), y_top(last + 1)
    canvas.rect(edge(left), bottom, edge(right + 1) - edge(left), top - bottom, fill=0)
    canvas.setFont("Helvetica", LABEL_SIZE)
    width = edge(right + 1) - edge(left) - 3
    rows = _label_rows(canvas, label, width, HEADING_LINES.get(first, 1))
    for index, row in enumerate(rows):
        canvas.drawString(edge(left) + 1.5, top - (LABEL_SIZE + 0.8) * (index + 1), row)


def _words(canvas: Canvas) -> None:
    canvas.setFont("Helvetica", LABEL_SIZE)
    for line, col, word in WORDS:
        canvas.drawString(x_of(col) + 0.5, y_top(line) - 2 * LABEL_SIZE - 1, word)


def _check_boxes(canvas: Canvas) -> None:
    canvas.setFont("Helvetica", LABEL_SIZE)
    for name, caption in CAPTIONS.items():
        cell = CELLS[name]
        x, y = x_of(cell.col) - 1, baseline(cell.line) - 2.5
        canvas.rect(x, y, CHAR + 2, LINE - 2, fill=0)
        if caption:
            canvas.drawString(x + CHAR + 3.5, y + 2, caption)


def _service_area(canvas: Canvas) -> None:
    canvas.setFillColorRGB(1, 0.9, 0.9)
    for row in SERVICE_LINE_ROWS:
        canvas.rect(edge(1), y_top(row + 1), edge(81) - edge(1), LINE, fill=1, stroke=0)
    canvas.setFillColorRGB(*RED)
    for row in range(43, 56, 2):
        canvas.line(edge(1), y_top(row), edge(81), y_top(row))
    for col in SERVICE_COLUMNS:
        canvas.line(edge(col), y_top(43), edge(col), y_top(55))
    for col, first, last in CENTS_DIVIDERS:
        canvas.line(x_of(col) - 0.6, y_top(first) - 4, x_of(col) - 0.6, y_top(last + 1))
    canvas.setFont("Helvetica", LABEL_SIZE)
    for number, row in enumerate(SERVICE_LINE_ROWS, start=1):
        canvas.drawString(edge(81) + 2, y_top(row + 1) - LINE + 3, str(number))


def _titles(canvas: Canvas) -> None:
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawString(edge(1), baseline(5), "HEALTH INSURANCE CLAIM FORM")
    canvas.setFont("Helvetica", 5.5)
    canvas.drawString(
        edge(1), baseline(6) + 3, "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12"
    )
    canvas.drawString(edge(1), baseline(6) - 3, "PICA")
    canvas.drawRightString(edge(81), baseline(6) - 3, "PICA")
    canvas.drawString(
        edge(1), baseline(62) - 1, "NUCC Instruction Manual available at: www.nucc.org"
    )
    canvas.drawString(x_of(34), baseline(62) - 1, "PLEASE PRINT OR TYPE")
    canvas.drawRightString(edge(81), baseline(62) - 1, "APPROVED OMB-0938-1197 FORM 1500 (02-12)")
    canvas.drawString(x_of(40), baseline(1), "CARRIER")
    canvas.line(x_of(40), y_top(6), edge(81), y_top(6))


def draw_plain_form(canvas: Canvas) -> None:
    """The form's boxes, labels and check boxes on the current page, in the form's red."""
    canvas.saveState()
    canvas.setStrokeColorRGB(*RED)
    canvas.setFillColorRGB(*RED)
    canvas.setLineWidth(0.5)
    _service_area(canvas)
    canvas.setFillColorRGB(*RED)
    for label, first, last, left, right in BOXES:
        _box(canvas, label, first, last, left, right)
    canvas.setLineWidth(1.2)
    canvas.rect(edge(1), y_top(62), edge(81) - edge(1), y_top(7) - y_top(62), fill=0)
    canvas.setLineWidth(0.5)
    _check_boxes(canvas)
    _words(canvas)
    _titles(canvas)
    canvas.restoreState()
