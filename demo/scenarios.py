"""Synthetic visit scenarios: a clinical note template and the codes a coder would assign.

Placeholders resolved per patient: WCC (well-child visit by age), PREV (adult preventive visit by
age), 90471 becomes G0008 for Medicare, established E/M codes become new-patient ones on a
patient's first visit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class LineSpec:
    code: str
    pointers: tuple[int, ...] = (1,)
    modifiers: tuple[str, ...] = ()
    units: Decimal = Decimal("1")


@dataclass(frozen=True)
class Scenario:
    key: str
    ages: tuple[int, int]
    weight: int
    diagnoses: tuple[str, ...]
    lines: tuple[LineSpec, ...]
    notes: tuple[str, ...]
    sex: str = ""
    seasonal: bool = False  # flu season only (September to March)
    medicare: bool | None = None  # True: Medicare patients only; False: never
    telehealth: bool = False  # may happen by video
    facts: dict[str, str] = field(default_factory=dict)

    def fits(self, *, age: int, sex: str, is_medicare: bool, month: int) -> bool:
        return (
            self.ages[0] <= age <= self.ages[1]
            and self.sex in ("", sex)
            and (not self.seasonal or month in (9, 10, 11, 12, 1, 2, 3))
            and self.medicare in (None, is_medicare)
        )


L = LineSpec
UNITS_4 = Decimal("4")

SCENARIOS = (
    Scenario("diabetes", (35, 95), 10, ("E11.9", "E78.5"),
             (L("99214", (1, 2)), L("83036"), L("80061", (2,)), L("36415", (1, 2))),
             ("Chief complaint: 3-month diabetes follow-up.\nHPI: {age}-year-old {person} with "
              "type 2 diabetes mellitus on metformin; home fasting sugars 110-150. No "
              "hypoglycemia, polyuria or vision change. Hyperlipidemia on atorvastatin.\n"
              "Exam: BP {bp}, HR {hr}, BMI {bmi}. Monofilament sensation intact both feet.\n"
              "Assessment: Type 2 diabetes mellitus without complications. Hyperlipidemia.\n"
              "Plan: A1c and lipid panel today (venipuncture). Continue metformin 1000 mg twice "
              "daily and atorvastatin 20 mg. Return in 3 months.",
              "Follow-up: type 2 diabetes and high cholesterol.\n{pronoun} reports good "
              "adherence, walking 30 minutes most days. Last A1c {a1c}%.\nVitals: BP {bp}, "
              "weight stable, BMI {bmi}. Feet: no ulcers, pulses 2+.\nA/P: 1. Type 2 DM without "
              "complications - recheck hemoglobin A1c. 2. Hyperlipidemia - fasting lipid panel. "
              "Blood drawn in clinic. Continue current medicines.")),
    Scenario("diabetes_hyperglycemia", (35, 95), 5, ("E11.65", "Z79.84"),
             (L("99214", (1, 2)), L("83036"), L("82947"), L("36415")),
             ("{age}-year-old {person} with type 2 diabetes, sugars running 220-300 for two "
              "weeks, more thirst and urination. Takes glipizide and metformin.\nBP {bp}, BMI "
              "{bmi}. Fingerstick glucose 284. A1c {a1c}%.\nAssessment: Type 2 diabetes mellitus "
              "with hyperglycemia; long-term use of oral hypoglycemic drugs.\nPlan: serum glucose "
              "and A1c today, increase glipizide, diabetes education referral, recheck 4 weeks.",)),
    Scenario("hypertension", (30, 95), 12, ("I10",),
             (L("99213"), L("80053"), L("36415")),
             ("Hypertension follow-up. {age}-year-old {person} on lisinopril 20 mg daily, no "
              "headache, chest pain or dizziness. Home readings 130s/80s.\nBP {bp}, HR {hr}. "
              "Heart regular, lungs clear, no edema.\nAssessment: Essential (primary) "
              "hypertension, controlled.\nPlan: comprehensive metabolic panel for potassium and "
              "creatinine (venipuncture). Continue lisinopril. Low-salt diet. Return 6 months.",
              "BP check. {pronoun} has essential hypertension, adherent to amlodipine.\nToday "
              "BP {bp} (repeat similar). Exam unremarkable.\nA/P: Essential hypertension - "
              "continue amlodipine 5 mg; CMP drawn today to monitor kidney function.")),
    Scenario("hypertension_lipids", (40, 95), 8, ("I10", "E78.5"),
             (L("99214", (1, 2)), L("80061", (2,)), L("80053", (1,)), L("36415", (1, 2))),
             ("Chronic care visit for hypertension and hyperlipidemia. {age}-year-old {person}, "
              "tolerating losartan and simvastatin, no myalgias.\nBP {bp}, HR {hr}, BMI {bmi}. "
              "Last LDL {ldl}.\nAssessment: 1. Essential hypertension. 2. Hyperlipidemia, "
              "unspecified.\nPlan: lipid panel and CMP by venipuncture today; continue both "
              "medicines; heart-healthy diet; follow up in 6 months.",)),
    Scenario("uri", (1, 95), 8, ("J06.9",), (L("99213"),),
             ("{age}-year-old {person} with {days} days of runny nose, sore throat and "
              "non-productive cough. No shortness of breath.\nTemp {temp} F, SpO2 {spo2}%. "
              "Nasal congestion, mild pharyngeal erythema, lungs clear.\nAssessment: Acute upper "
              "respiratory infection, unspecified.\nPlan: supportive care, fluids, saline, "
              "return if fever persists or breathing worsens. No antibiotics indicated.",)),
    Scenario("strep", (3, 40), 5, ("J02.0",), (L("99213"), L("87880")),
             ("Sore throat for {days} days with fever and painful swallowing, no cough. "
              "{age}-year-old {person}.\nTemp {fever} F. Tonsillar exudate, tender anterior "
              "cervical nodes.\nRapid strep antigen test in office: POSITIVE.\nAssessment: "
              "Streptococcal pharyngitis.\nPlan: amoxicillin 10 days, school/work note, "
              "return if not improving in 48 hours.",)),
    Scenario("viral_pharyngitis", (3, 60), 3, ("J02.9",), (L("99213"), L("87880")),
             ("{age}-year-old {person} with sore throat and mild fever for {days} days.\nTemp "
              "{temp} F, pharynx red without exudate.\nRapid strep test: negative.\nAssessment: "
              "Acute pharyngitis, unspecified (likely viral).\nPlan: symptomatic care, no "
              "antibiotics; call if worse.",)),
    Scenario("uti", (18, 90), 5, ("N39.0", "R30.0"), (L("99213", (1, 2)), L("81002", (1, 2))),
             ("{age}-year-old {person} with burning on urination and frequency for {days} days. "
              "No fever or flank pain.\nTemp {temp} F. Mild suprapubic tenderness, no CVA "
              "tenderness.\nUrine dipstick in office (non-automated, without microscopy): "
              "positive leukocyte esterase and nitrite.\nAssessment: Urinary tract infection, "
              "site not specified; dysuria.\nPlan: nitrofurantoin 5 days, fluids.",), sex="F"),
    Scenario("low_back_pain", (18, 80), 6, ("M54.50",), (L("99213"),),
             ("Low back pain for {days} days after lifting boxes. No leg numbness, weakness, or "
              "bladder/bowel change. {age}-year-old {person}.\nExam: lumbar paraspinal "
              "tenderness, straight-leg raise negative, strength 5/5.\nAssessment: Low back "
              "pain, unspecified.\nPlan: NSAIDs, heat, stretching handout, return if red flags.",
              )),
    Scenario("low_back_pain_injection", (18, 80), 3, ("M54.50",),
             (L("99214", modifiers=("25",)), L("96372"), L("J1100", units=UNITS_4)),
             ("Severe low back pain, unable to work, {days} days. {age}-year-old {person}.\n"
              "Exam: marked lumbar spasm, limited flexion, neuro intact.\nAssessment: Low back "
              "pain, unspecified.\nProcedure: dexamethasone 4 mg given IM in right gluteus "
              "(therapeutic injection). Tolerated well.\nPlan: muscle relaxant at night, "
              "physical therapy referral, follow up in 2 weeks.",)),
    Scenario("knee_oa_right", (45, 95), 3, ("M17.11",),
             (L("99213", modifiers=("25",)), L("20610", modifiers=("RT",)),
              L("J3301", units=UNITS_4)),
             ("Chronic {side} knee pain worse with stairs. {age}-year-old {person} with known "
              "osteoarthritis, failed NSAIDs and physical therapy.\nExam: {side} knee crepitus, "
              "medial joint line tenderness, small effusion.\nAssessment: Unilateral primary "
              "osteoarthritis, {side} knee.\nProcedure: after consent and sterile prep, {side} "
              "knee injected with triamcinolone 40 mg and lidocaine (arthrocentesis/injection, "
              "major joint). No complications.",), facts={"side": "right"}),
    Scenario("knee_oa_left", (45, 95), 3, ("M17.12",),
             (L("99213", modifiers=("25",)), L("20610", modifiers=("LT",)),
              L("J3301", units=UNITS_4)),
             ("Chronic {side} knee pain worse with stairs. {age}-year-old {person} with known "
              "osteoarthritis, failed NSAIDs and physical therapy.\nExam: {side} knee crepitus, "
              "medial joint line tenderness, small effusion.\nAssessment: Unilateral primary "
              "osteoarthritis, {side} knee.\nProcedure: after consent and sterile prep, {side} "
              "knee injected with triamcinolone 40 mg and lidocaine (arthrocentesis/injection, "
              "major joint). No complications.",), facts={"side": "left"}),
    Scenario("asthma", (5, 80), 3, ("J45.20",), (L("99213"),),
             ("Asthma check. {age}-year-old {person} using albuterol about once a week, no "
              "night waking, no ER visits.\nSpO2 {spo2}%, lungs clear, no wheeze.\nAssessment: "
              "Mild intermittent asthma, uncomplicated.\nPlan: continue albuterol as needed, "
              "asthma action plan reviewed, flu vaccine in season.",), telehealth=True),
    Scenario("asthma_flare", (5, 80), 2, ("J45.21",), (L("99214"), L("71046")),
             ("{age}-year-old {person} with mild intermittent asthma, now {days} days of cough, "
              "wheeze and chest tightness after a cold.\nSpO2 {spo2}%, diffuse expiratory "
              "wheeze. Chest X-ray, 2 views: no infiltrate.\nAssessment: Mild intermittent "
              "asthma with (acute) exacerbation.\nPlan: prednisone burst, albuterol every "
              "4 hours, recheck in 3 days.",)),
    Scenario("gerd", (18, 90), 5, ("K21.9",), (L("99213"),),
             ("Heartburn after meals and at night for months. {age}-year-old {person}, no "
              "dysphagia, weight loss or black stools.\nAbdomen soft, mild epigastric "
              "tenderness.\nAssessment: Gastro-esophageal reflux disease without esophagitis.\n"
              "Plan: omeprazole 20 mg daily for 8 weeks, avoid late meals, elevate head of bed.",
              ), telehealth=True),
    Scenario("depression", (14, 90), 4, ("F32.A",), (L("99214"), L("96127")),
             ("Follow-up of low mood. {age}-year-old {person} started sertraline 6 weeks ago, "
              "sleeping better, still low energy. Denies suicidal thoughts.\nPHQ-9 administered "
              "and scored today: 11 (was 17).\nAssessment: Depression, unspecified, improving.\n"
              "Plan: increase sertraline to 100 mg, counseling referral, recheck 6 weeks.",),
             telehealth=True),
    Scenario("wellness_medicare", (66, 99), 8, ("Z00.00", "Z13.31"),
             (L("G0439"), L("G0444", (2,))),
             ("Medicare annual wellness visit (subsequent). {age}-year-old {person}. Health risk "
              "assessment reviewed, medication list updated, fall risk screen negative, "
              "cognition screen normal. Annual depression screening (PHQ-9): 2, negative.\n"
              "BP {bp}, BMI {bmi}.\nAssessment: Encounter for general adult medical examination "
              "without abnormal findings; encounter for screening for depression.\nPlan: "
              "personalized prevention plan given; colonoscopy due next year.",),
             medicare=True),
    Scenario("wellness_medicare_problem", (66, 99), 4, ("Z00.00", "I10"),
             (L("G0439"), L("99213", (2,), ("25",))),
             ("Subsequent annual wellness visit for a {age}-year-old {person}; prevention plan "
              "updated. Separately, BP elevated at {bp} on two readings: home log reviewed, "
              "amlodipine increased to 10 mg (significant, separately identifiable problem-"
              "oriented service).\nAssessment: 1. Medicare annual wellness visit. 2. Essential "
              "hypertension.",), medicare=True),
    Scenario("adult_physical", (18, 64), 6, ("Z00.00", "Z13.220"),
             (L("PREV"), L("80061", (2,)), L("36415", (2,))),
             ("Annual preventive exam, established {age}-year-old {person}. No complaints. "
              "Exercise 3 times a week, non-smoker.\nBP {bp}, BMI {bmi}. Complete exam normal.\n"
              "Assessment: Encounter for general adult medical examination without abnormal "
              "findings; screening for lipoid disorders.\nPlan: fasting lipid panel drawn "
              "today, age-appropriate screening discussed.",), medicare=False),
    Scenario("well_child", (1, 17), 12, ("Z00.129",), (L("WCC"),),
             ("Well-child visit, {age}-year-old {person}. Growth and development on track, "
              "eating and sleeping well, school going well. Vaccines up to date.\nWeight and "
              "height on curve, BP normal for age, full exam normal.\nAssessment: Encounter for "
              "routine child health examination without abnormal findings.\nPlan: anticipatory "
              "guidance, next visit in one year.",)),
    Scenario("well_child_flu", (3, 17), 8, ("Z00.129", "Z23"),
             (L("WCC"), L("90686", (2,)), L("90471", (2,))),
             ("Annual well-child check, {age}-year-old {person}, normal growth and development, "
              "exam normal.\nInfluenza vaccine, quadrivalent, preservative-free, 0.5 mL given IM "
              "after VIS reviewed with parent.\nAssessment: Routine child health exam without "
              "abnormal findings; encounter for immunization.",), seasonal=True),
    Scenario("otitis_right", (1, 12), 5, ("H66.91",), (L("99213"),),
             ("{age}-year-old {person} with {side} ear pain and fever for {days} days.\nTemp "
              "{fever} F. The {side} tympanic membrane is red and bulging; other ear normal.\n"
              "Assessment: Otitis media, unspecified, {side} ear.\nPlan: amoxicillin, "
              "ibuprofen for pain, recheck if not better in 3 days.",), facts={"side": "right"}),
    Scenario("otitis_left", (1, 12), 5, ("H66.92",), (L("99213"),),
             ("{age}-year-old {person} with {side} ear pain and fever for {days} days.\nTemp "
              "{fever} F. The {side} tympanic membrane is red and bulging; other ear normal.\n"
              "Assessment: Otitis media, unspecified, {side} ear.\nPlan: amoxicillin, "
              "ibuprofen for pain, recheck if not better in 3 days.",), facts={"side": "left"}),
    Scenario("cerumen", (5, 95), 2, ("H61.23",), (L("69210", modifiers=("50",)),),
             ("Muffled hearing both ears. {age}-year-old {person}.\nOtoscopy: impacted cerumen "
              "both canals, TMs not visible.\nProcedure: cerumen removed from both ears with "
              "curette and suction under direct view (instrumentation). TMs intact after.\n"
              "Assessment: Impacted cerumen, bilateral.",)),
    Scenario("warts", (5, 70), 2, ("B07.8",), (L("17110"),),
             ("Common warts on {possessive} hands for months, {age}-year-old {person}.\n"
              "Procedure: 4 verruca vulgaris lesions destroyed with liquid nitrogen "
              "cryotherapy.\nAssessment: Other viral warts.\nPlan: repeat in 3 weeks if needed.",
              )),
    Scenario("skin_biopsy", (40, 95), 2, ("D49.2",),
             (L("99213", modifiers=("25",)), L("11102")),
             ("New changing pigmented lesion on the back, noticed by family. {age}-year-old "
              "{person}, also reviewed other skin concerns.\nExam: 7 mm irregular lesion, left "
              "upper back.\nProcedure: tangential (shave) biopsy of the single lesion, sent to "
              "pathology.\nAssessment: Neoplasm of unspecified behavior of bone, soft tissue, "
              "and skin.",)),
    Scenario("fatigue", (18, 90), 4, ("R53.83",), (L("99214"), L("85025"), L("80053"),
                                                    L("36415")),
             ("Two months of tiredness. {age}-year-old {person}, sleeping 7 hours, no weight "
              "loss, no bleeding.\nBP {bp}, HR {hr}, exam unremarkable, no pallor.\nAssessment: "
              "Other fatigue.\nPlan: CBC with differential and comprehensive metabolic panel by "
              "venipuncture; sleep hygiene; follow up with results.",)),
    Scenario("chest_pain", (30, 90), 3, ("R07.9",), (L("99214"), L("93000"), L("71046")),
             ("Intermittent chest discomfort for {days} days, not exertional, no radiation. "
              "{age}-year-old {person}.\nBP {bp}, HR {hr}, SpO2 {spo2}%. Chest wall mildly "
              "tender.\n12-lead ECG with interpretation: normal sinus rhythm, no ST changes.\n"
              "Chest X-ray 2 views: normal.\nAssessment: Chest pain, unspecified.\nPlan: "
              "trial of NSAID, ER precautions reviewed, stress test if recurs.",)),
    Scenario("palpitations", (18, 90), 2, ("R00.2",), (L("99213"), L("93000")),
             ("Episodes of heart racing for a week, a few minutes each, with coffee. "
              "{age}-year-old {person}.\nHR {hr} regular, BP {bp}.\nECG in office, 12 leads, "
              "interpreted: sinus rhythm, occasional PACs.\nAssessment: Palpitations.\nPlan: "
              "reduce caffeine, Holter if persists.",)),
    Scenario("pneumonia", (1, 95), 2, ("J18.9",), (L("99214"), L("71046")),
             ("Cough with fever and shortness of breath for {days} days. {age}-year-old "
              "{person}.\nTemp {fever} F, SpO2 {spo2}%, crackles right base.\nChest X-ray, 2 "
              "views: right lower lobe infiltrate.\nAssessment: Pneumonia, unspecified "
              "organism.\nPlan: oral antibiotics, recheck in 48 hours, ER if worse.",)),
    Scenario("flu_shot", (3, 99), 6, ("Z23",), (L("90686"), L("90471")),
             ("Nurse visit for seasonal influenza vaccine. {age}-year-old {person}, no prior "
              "reaction, afebrile today.\nInfluenza virus vaccine, quadrivalent, split virus, "
              "preservative free, 0.5 mL IM left deltoid; VIS given.\nAssessment: Encounter for "
              "immunization.",), seasonal=True),
)  # fmt: skip

_MONTH_SEASON = (9, 10, 11, 12, 1, 2, 3)


def scenario_pick(
    rng: random.Random, *, age: int, sex: str, is_medicare: bool, month: int
) -> Scenario:
    fitting = [
        s for s in SCENARIOS if s.fits(age=age, sex=sex, is_medicare=is_medicare, month=month)
    ]
    return rng.choices(fitting, weights=[s.weight for s in fitting])[0]


def _person(age: int, sex: str) -> tuple[str, str, str]:
    """(noun, pronoun, possessive) for the note."""
    female = sex == "F"
    if age < 18:
        return (
            ("girl" if female else "boy"),
            ("She" if female else "He"),
            ("her" if female else "his"),
        )
    return ("woman" if female else "man"), ("She" if female else "He"), ("her" if female else "his")


def note_render(rng: random.Random, scenario: Scenario, *, age: int, sex: str) -> str:
    """The scenario's note with this patient's age and plausible, randomly drawn findings."""
    person, pronoun, possessive = _person(age, sex)
    facts = {
        "age": str(age),
        "person": person,
        "pronoun": pronoun,
        "possessive": possessive,
        "bp": f"{rng.randint(116, 158)}/{rng.randint(70, 96)}",
        "hr": str(rng.randint(60, 98)),
        "temp": f"{rng.choice(('97.9', '98.2', '98.6', '99.1', '99.4'))}",
        "fever": f"{rng.choice(('100.6', '101.2', '101.8', '102.3'))}",
        "spo2": str(rng.randint(94, 99)),
        "bmi": f"{rng.uniform(21.5, 37.5):.1f}",
        "a1c": f"{rng.uniform(6.4, 9.6):.1f}",
        "ldl": str(rng.randint(92, 176)),
        "days": str(rng.randint(2, 9)),
        **scenario.facts,
    }
    template = rng.choice(scenario.notes)
    return template.format(**facts)
