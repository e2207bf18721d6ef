"""The category table: every shipped CARC, the group rules and the RARC refinements, as data.

docs/DENIAL-CATEGORIES.md explains each choice; `denials.categories.rules` reads these tables in
the order documented there. Codes are as X12 sends them (CARC source 139, RARC source 411).
"""

from __future__ import annotations

# id -> (label a biller reads, what to do when nothing more specific is known)
CATEGORIES: dict[str, tuple[str, str]] = {
    "eligibility": (
        "Patient eligibility",
        "Verify the patient's coverage for the date of service (run a 270/271); correct the "
        "member ID or bill the payer that covered the patient, or bill the patient.",
    ),
    "authorization": (
        "Authorization or referral",
        "Find the authorization or referral for this service and date; if one exists, put its "
        "number on the claim and resubmit, otherwise ask for a retro-authorization or appeal.",
    ),
    "coding": (
        "Coding",
        "Have a coder review the procedure, modifier and diagnosis codes against the note and "
        "the payer's edits, then send a corrected claim.",
    ),
    "medical_necessity": (
        "Medical necessity",
        "Check the payer's coverage policy (LCD/NCD) against the diagnosis and documentation; "
        "appeal with the records that support the service, or bill the patient if an ABN was "
        "signed.",
    ),
    "timely_filing": (
        "Timely filing",
        "Find proof the claim was sent in time (clearinghouse acceptance, 999/277CA) and appeal "
        "with it; without proof the amount is a write-off.",
    ),
    "duplicate": (
        "Duplicate claim",
        "Check whether the original claim was paid or is in process; do not resubmit. If the "
        "services were distinct, send a corrected claim (frequency 7) with modifiers that show it.",
    ),
    "missing_information": (
        "Missing or invalid information",
        "Read the remark code for what is missing, correct the claim and resubmit it as a new "
        "claim.",
    ),
    "non_covered": (
        "Not covered by the plan",
        "Check the patient's benefits for this service; bill the patient if they agreed in "
        "writing (ABN or waiver) or the payer assigned it to them, otherwise appeal or write off.",
    ),
    "coordination_of_benefits": (
        "Coordination of benefits",
        "Update the patient's other coverage and payer order; bill the primary payer first, or "
        "send this payer the primary's remittance (EOB) with the claim.",
    ),
    "credentialing": (
        "Provider credentialing or enrollment",
        "Check the provider's enrollment, credentialing and NPI/taxonomy on file with this payer; "
        "fix the enrollment, then resubmit.",
    ),
    "contractual": (
        "Contractual adjustment",
        "Not a denial: post the adjustment per the contract (check it against the fee schedule); "
        "the patient may not be billed for it.",
    ),
    "patient_responsibility": (
        "Patient responsibility",
        "Not a denial: bill the patient (or their secondary coverage) for this amount.",
    ),
    "other": (
        "Other",
        "Read the remark codes and the payer's explanation; call the payer if it is unclear.",
    ),
}

# Every CARC the project ships, by its published meaning. Space-separated for reading.
_CARCS_BY_CATEGORY: dict[str, str] = {
    "eligibility": (
        "13 26 27 28 30 31 32 33 34 106 124 140 141 166 177 178 179 180 200 218 224 238 239 "
        "257 258 277 B9 P6"
    ),
    "authorization": "15 38 39 61 62 165 197 198 210 243 284 287 288 296 302 P17 W6",
    "coding": (
        "4 5 6 7 8 9 10 11 12 47 58 65 97 146 181 182 189 194 199 220 230 231 234 236 240 "
        "282 306 B15 B16 B18 B22 D21 P7 P9 P14 W3"
    ),
    "medical_necessity": (
        "40 50 55 56 57 117 150 151 152 153 154 167 186 188 216 222 249 261 B8 B14 B19 P15 P31 W4"
    ),
    "timely_filing": "29 138 286 B4",
    "duplicate": "18 B13 B20",
    "missing_information": (
        "14 16 17 107 110 112 125 135 148 163 164 173 174 175 176 206 207 226 227 250 251 252 "
        "267 268 B12 B17 D1 D2 D3 D4 D5 D6 D7 D8 D9 D10 D11 D12 D14 D15 D17 D18 D19 D20 P30"
    ),
    "non_covered": (
        "35 46 48 49 51 53 54 96 113 114 119 149 157 158 159 160 170 171 172 202 204 211 212 "
        "233 269 272 273 A6 B1 B5 B6"
    ),
    "coordination_of_benefits": (
        "19 20 21 22 23 71 98 99 109 120 129 136 168 191 195 196 214 215 228 254 270 275 276 "
        "280 289 290 291 292 297 298 300 301 304 305 A3 B11 D16 D23 P2 P4"
    ),
    "credentialing": "52 111 147 183 184 185 208 213 242 279 283 299 B7 B23 D13 P16 W5",
    "contractual": (
        "24 41 42 43 44 45 59 60 86 89 90 91 94 104 105 122 130 131 132 134 137 139 144 145 "
        "161 190 205 209 217 225 235 237 245 253 256 259 260 262 263 264 265 266 271 274 278 "
        "281 295 303 307 308 A2 A7 B10 P5 P12 P18 P19 P20 P23 P24 P25 P26 P29 W1 W7 W8 W9 Y3"
    ),
    "patient_responsibility": "1 2 3 36 37 66 85 100 126 127 142 156 187 201 241 247 248 P3",
    "other": (
        "25 63 64 67 68 69 70 72 73 74 75 76 77 78 79 80 81 82 83 84 87 88 92 93 95 101 102 "
        "103 108 115 116 118 121 123 128 133 143 155 162 169 192 193 203 219 221 223 229 232 "
        "244 246 255 285 293 294 A0 A1 A4 A5 A8 B2 B3 B21 D22 P1 P8 P10 P11 P13 P21 P22 P27 "
        "P28 P32 W2 Y1 Y2"
    ),
}

CARC_CATEGORY: dict[str, str] = {
    carc: category for category, codes in _CARCS_BY_CATEGORY.items() for carc in codes.split()
}

# CARCs that only say "a remark code says what/why": their RARC decides the category.
CARCS_DEFERRING_TO_RARC = frozenset({"16", "125", "A1", "96", "129"})

# CARCs that put an amount on the patient; with group CO/PI the patient may not be billed.
PATIENT_SHARE_CARCS = frozenset(_CARCS_BY_CATEGORY["patient_responsibility"].split())

# A next step particular to the CARC, where it says more than its category's default.
CARC_NEXT_STEP: dict[str, str] = {
    "13": "The payer has a date of death before the date of service: check the date of service "
    "and the patient's record with the payer, correct and resubmit.",
    "14": "The date of birth is after the date of service: correct the patient's birth date or "
    "the service date and resubmit.",
    "15": "The authorization number is missing, invalid or does not apply: put the right "
    "authorization number on the claim (REF*G1) and resubmit.",
    "18": "Exact duplicate: do not resubmit; follow the original claim. If it was a separate "
    "service, send a corrected claim with a modifier (76, 77, 59/XS) that shows it.",
    "22": "Another payer is primary: bill the primary payer first, then send this payer the "
    "claim with the primary's payment (2320/2430 loops or the EOB).",
    "23": "Prior payer's adjudication: check the primary's payment and adjustments were sent "
    "correctly; bill the patient's share only as the last payer assigns it.",
    "24": "Covered under capitation: no fee-for-service payment; post the adjustment (check the "
    "patient's assigned provider).",
    "26": "Service before coverage began: verify the effective date; bill the prior coverage or "
    "the patient.",
    "27": "Service after coverage ended: verify the termination date; find the new coverage "
    "(270/271) and bill it, or bill the patient.",
    "29": "Past the filing limit: appeal only with proof of timely filing (clearinghouse "
    "acceptance report, 999/277CA, payer acknowledgement); otherwise write it off.",
    "31": "The payer cannot identify the patient: check the member ID, name and birth date "
    "against the insurance card and resubmit.",
    "45": "Charge above the allowed amount: post the contractual adjustment; compare the "
    "allowed amount with the contracted fee schedule.",
    "50": "Not medically necessary per the payer: check the diagnosis codes against the payer's "
    "coverage policy (LCD/NCD); appeal with the records, or bill the patient if an ABN was "
    "signed.",
    "97": "Bundled into another service already paid: if this service was separate and "
    "distinct, add the modifier that shows it (25, 59 or XE/XS/XP/XU) and send a corrected "
    "claim; otherwise post it as a write-off.",
    "109": "Wrong payer: find the patient's right payer or plan (270/271) and send the claim "
    "there.",
    "119": "The benefit maximum for the period is reached: confirm with the patient's benefits; "
    "bill secondary coverage or the patient.",
    "151": "Frequency above what the payer allows: check the frequency limit; appeal with "
    "documentation of why the extra services were needed.",
    "167": "The diagnosis is not covered for this service: check the coverage policy's covered "
    "diagnoses; correct the diagnosis if the note supports another, or appeal.",
    "197": "No authorization on file: get the authorization number (or a retro-authorization) "
    "and resubmit with it in REF*G1; if none can be had, appeal or write off per contract.",
    "198": "Authorized units or visits exceeded: ask the payer to extend the authorization, "
    "then resubmit; bill only what was authorized otherwise.",
    "204": "Not covered under the patient's current plan: bill the patient if they agreed in "
    "writing, or another coverage; otherwise write off.",
    "206": "The NPI is missing: add the provider's NPI and resubmit.",
    "207": "The NPI is not in a valid format: correct the NPI (10 digits, check digit) and "
    "resubmit.",
    "208": "The NPI does not match the payer's records: check the provider's enrollment and the "
    "NPI on file with this payer, then resubmit.",
    "234": "Not paid separately: check whether a modifier makes it separately payable; "
    "otherwise post it as a write-off.",
    "236": "NCCI or policy pair edit: if the services were distinct, add the right modifier "
    "(59 or XE/XS/XP/XU) and send a corrected claim; otherwise write off.",
    "252": "The payer needs an attachment: send the documentation it asks for (PWK/275 or "
    "fax with the claim number).",
    "B7": "The provider was not certified or eligible for this service on this date: check the "
    "provider's enrollment dates with the payer and fix them, then resubmit.",
    "B9": "The patient is in hospice: bill the hospice for services related to the terminal "
    "illness; bill Medicare with modifier GW if unrelated.",
}

# CAQH CORE (CORE-required code combinations for CAGC/CARC/RARC) business scenarios.
CORE_SCENARIOS: dict[int, str] = {
    1: "Additional information required: missing/invalid/incomplete documentation",
    2: "Missing/invalid/incomplete data from submitted claim",
    3: "Billed service not covered by health plan",
    4: "Benefit for billed service not separately payable",
}
_CARCS_BY_CORE_SCENARIO: dict[int, str] = {
    1: "17 148 163 164 226 227 250 251 252 B12 D6 D16 D19 P30",
    2: (
        "4 14 16 107 110 125 146 181 182 206 207 B18 D1 D2 D3 D4 D5 D7 D8 D9 D10 D11 D12 "
        "D14 D15 D17 D18 D20 D21"
    ),
    3: (
        "35 46 48 49 50 51 54 55 56 96 114 119 149 160 167 170 171 172 202 204 269 272 273 B1 B5 B6"
    ),
    4: "97 231 234 236 P14 W3",
}
CARC_CORE_SCENARIO: dict[str, int] = {
    carc: scenario for scenario, codes in _CARCS_BY_CORE_SCENARIO.items() for carc in codes.split()
}

# RARCs that refine the category (for a CARC that defers to its RARC) and the CORE scenario.
_RARCS_BY_CATEGORY: dict[str, str] = {
    "coding": (
        "M14 M15 M20 M51 M67 M69 M71 M75 M80 M81 M84 M119 M144 MA66 N19 N20 N22 N56 N65 N122 N180 "
        "N390 N430 N431 N519 N525 N572 N642 N657"
    ),
    "missing_information": (
        "M12 M23 M29 M30 M31 M44 M45 M47 M49 M50 M52 M53 M54 M59 M60 M64 M76 M77 M79 M123 "
        "M56 M127 M133 M135 M136 M143 MA27 MA30 MA36 MA37 MA39 MA61 MA63 MA81 MA120 MA130 N26 N31 "
        "N34 N58 N61 N62 N63 N142 N179 N181 N203 N206 N209 N255 N256 N257 N258 N264 N265 N285 "
        "N286 N288 N289 N290 N292 N293 N294 N301 N329 N350 N366 N379 N380 N382 N395 N463 N517 "
        "N705 N706 N708 N710 N714 N718 M117"
    ),
    "authorization": "M62 N45 N54",
    "eligibility": "N30 N128 N129 N197",
    "coordination_of_benefits": (
        "M11 M32 MA04 MA64 MA83 MA92 N4 N5 N36 N104 N193 N245 N408 N418 N479 N480 N527 N598"
    ),
    "credentialing": "M115 N32 N95 N521 N570 N574 N575",
    "duplicate": "M86 N111 N522 N702",
    "medical_necessity": "M1 M3 M25 N10 N35 N115 N357 N362 N386 N435 N569 N640 N661 N674 M90",
    "non_covered": "M2 N117 N130 N174 N216 N356 N383 N425 N426 N428 N429 N567 N721",
    "contractual": "M97 M114 N70 N381 N448 N538",
}
RARC_CATEGORY: dict[str, str] = {
    rarc: category for category, codes in _RARCS_BY_CATEGORY.items() for rarc in codes.split()
}
# Documentation RARCs (and a prior payer's remittance, per CORE) are scenario 1; claim-data
# RARCs scenario 2 (with CARC 16/125/A1).
_CORE_DOCUMENTATION_RARCS = (
    "M23 M29 M30 M31 M60 M127 M143 MA04 MA64 N4 N26 N179 N181 N206 N395 N463 N479 N480 N705 "
    "N706 N708 N710 N714 N718"
)
CORE_DOCUMENTATION_RARCS = frozenset(_CORE_DOCUMENTATION_RARCS.split())

# Plain names for what a "Missing/incomplete/invalid ..." RARC is about, where the remark's own
# words are not what a biller calls it.
RARC_WHAT: dict[str, str] = {
    "N290": "rendering provider NPI (2310B NM109)",
    "N257": "billing provider NPI (2010AA NM109)",
    "N286": "referring provider NPI (2310A NM109)",
    "N265": "ordering provider NPI",
    "N31": "prescribing provider NPI",
    "N293": "service facility NPI (2310C NM109)",
    "N382": "patient's member ID",
    "MA27": "patient's member ID or name as on the insurance card",
    "MA61": "patient's social security number",
    "N255": "billing provider taxonomy code (PRV segment)",
    "N288": "rendering provider taxonomy code",
    "M76": "diagnosis code",
    "MA63": "principal diagnosis code",
    "M64": "other diagnosis code",
    "M77": "place of service",
    "M53": "days or units of service",
    "N209": "billing provider tax ID (TIN)",
    "MA120": "CLIA certification number (REF*X4)",
    "M62": "prior authorization number (REF*G1)",
    "M119": "NDC for the drug (LIN/CTP in 2410)",
    "M123": "drug name, strength or dosage",
    "MA81": "provider signature",
    "N203": "anesthesia minutes or units",
    "N350": "description of the unlisted (NOC) procedure (SV101-7 or NTE)",
}

# A next step for a RARC whose meaning is itself the instruction.
RARC_NEXT_STEP: dict[str, str] = {
    "MA04": "Send the primary payer's remittance (EOB) or its payment in the 2320/2430 loops "
    "with the claim, then resubmit.",
    "MA64": "This payer is third: send the primary's and secondary's payment information with "
    "the claim.",
    "MA83": "Say on the claim whether this payer is primary or secondary (SBR01) and resubmit.",
    "MA92": "Add the other insurance's plan information (2320/2330 loops) and resubmit.",
    "N4": "Send the prior payer's EOB (or its 835 data in 2320/2430) with the claim.",
    "N479": "Attach the primary payer's EOB (or send its adjudication in 2320/2430) and resubmit.",
    "N480": "The primary's EOB was incomplete: send a complete one and resubmit.",
    "N30": "The patient is not eligible for this service: verify coverage and benefits (270/271) "
    "and bill the right payer or the patient.",
    "N129": "Not eligible at the patient's age: check the benefit's age limits; bill another "
    "coverage or the patient.",
    "N197": "Ask the patient to update their insurance information with the payer, then resubmit.",
    "N54": "The claim does not match what was authorized: compare codes, units and dates with "
    "the authorization; correct the claim or get the authorization amended.",
    "MA130": "The claim was unprocessable (no appeal rights): fix what the other remarks name and "
    "send it as a new claim, not a corrected one.",
    "N570": "Credentialing data is missing or invalid: check the provider's enrollment with the "
    "payer, then resubmit.",
    "N661": "The documentation does not support medical necessity: appeal with records that do, "
    "or bill the patient if an ABN was signed.",
    "N522": "Duplicate of a crossover claim: do not resubmit; follow the crossover.",
    "N111": "Duplicate of a claim already adjudicated: do not resubmit; follow the original.",
    "N425": "Statutorily excluded: not payable by this plan; bill the patient (an ABN is not "
    "required for excluded services).",
    "N383": "Cosmetic: not covered; bill the patient if they agreed in writing.",
    "N56": "The procedure code is not valid for the service or date: have a coder correct it "
    "and send a corrected claim.",
    "M51": "The procedure code is missing or invalid: correct it (CPT/HCPCS in force on the date "
    "of service) and send a corrected claim.",
    "M20": "The HCPCS code is missing or invalid: correct it and send a corrected claim.",
    "N19": "Incidental to the primary procedure: bundled; add a modifier only if it was separate "
    "and distinct.",
    "N640": "Over the allowed frequency: appeal with documentation of why it was needed.",
}
