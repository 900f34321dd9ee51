/**
 * The twin's table of lawful exchanges, shaped after the My Number Act's 別表第二 (FACTS §5.5): rows
 * of (requester, procedure, provider, data items). **Synthetic, from documented categories:** the
 * real table (≈120 rows, hundreds of items; since the 2023 amendment moved into ministerial
 * ordinances) was not transcribed. What is assumed:
 *
 * - Requesters and providers are institution *kinds* (a municipality, the Japan Pension Service, a
 *   health-insurance society, …); any institution of a kind may make that kind's requests.
 * - Procedures are the well-known users of the network: local tax and premiums, national health
 *   insurance, nursing care, late-elderly medical care, pensions, public assistance, child and
 *   single-parent allowances, disability welfare, public housing, school aid, employment insurance,
 *   student loans — each family expanded over its sub-procedures (assessment, benefit decision,
 *   change, reduction/exemption), which is how the annexed table's rows multiply.
 * - Data items are (category / item) names, 情報 categories of the table split into the items a
 *   procedure actually reads (e.g. local-tax/taxable-income). Local-tax information is the
 *   largest category, as the Board of Audit found for FY2022 inquiries.
 *
 * The sizes this yields (rows, distinct triples) are asserted in whitelist.test.ts.
 * @module
 */

/** Institution kinds of the network (requesters and providers). */
export const INSTITUTION_KINDS = [
  "municipality",
  "prefecture",
  "japan-pension-service",
  "health-insurance-society",
  "japan-health-insurance-association",
  "mutual-aid-association",
  "nhi-union",
  "late-elderly-medical-union",
  "mhlw",
  "labour-bureau",
  "jasso",
  "board-of-education",
  "private-school-mutual-aid",
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/** Data items each provider kind holds in its intermediate server's copy (副本), by category. */
const ITEMS = {
  localTax: [
    "local-tax/taxable-income",
    "local-tax/total-income",
    "local-tax/resident-tax-amount",
    "local-tax/non-taxable-status",
    "local-tax/deductions-dependants",
    "local-tax/deductions-spouse",
    "local-tax/pension-income",
    "local-tax/salary-income",
  ],
  residentRecord: [
    "resident-record/household",
    "resident-record/address-history",
    "resident-record/date-of-move-in",
  ],
  publicAssistance: [
    "public-assistance/receiving",
    "public-assistance/benefit-amount",
    "public-assistance/start-end-dates",
  ],
  pension: [
    "pension/old-age-benefit",
    "pension/disability-benefit",
    "pension/survivors-benefit",
    "pension/benefit-amount",
    "pension/insured-status",
    "pension/premium-exemption",
  ],
  medicalInsurance: [
    "medical-insurance/qualification",
    "medical-insurance/high-cost-benefit",
    "medical-insurance/injury-sickness-allowance",
    "medical-insurance/childbirth-lump-sum",
  ],
  nursingCare: [
    "nursing-care/certification-level",
    "nursing-care/benefit-records",
    "nursing-care/premium-stage",
    "nursing-care/burden-ratio",
  ],
  disability: [
    "disability/physical-certificate",
    "disability/mental-certificate",
    "disability/intellectual-certificate",
    "disability/support-benefits",
  ],
  childAllowance: ["child-allowance/recipient", "child-allowance/amount"],
  childRearing: [
    "child-rearing-allowance/recipient",
    "child-rearing-allowance/amount",
    "child-rearing-allowance/suspension",
  ],
  specialChild: ["special-child-allowance/recipient", "special-child-allowance/amount"],
  employment: [
    "employment-insurance/basic-allowance",
    "employment-insurance/insured-period",
    "employment-insurance/childcare-leave-benefit",
  ],
  lateElderly: ["late-elderly/qualification", "late-elderly/burden-ratio", "late-elderly/premium"],
  nhi: ["nhi/qualification", "nhi/premium", "nhi/premium-reduction"],
  housing: ["public-housing/tenant", "public-housing/rent-reduction"],
  schoolAid: ["school-aid/recipient", "special-needs-education/recipient"],
  studentLoan: ["student-loan/borrower", "student-loan/repayment-deferral"],
  warBereaved: ["war-bereaved/benefit"],
} as const satisfies Record<string, readonly string[]>;

/** A row of the table: who asks, for which procedure, of whom, for what. */
export interface WhitelistRow {
  readonly id: string;
  readonly requester: InstitutionKind;
  readonly procedure: string;
  readonly providers: readonly { readonly provider: InstitutionKind; readonly items: readonly string[] }[];
}

type Src = readonly [InstitutionKind, readonly string[]];
const MUNI_TAX: Src = ["municipality", ITEMS.localTax];
const MUNI_RESIDENT: Src = ["municipality", ITEMS.residentRecord];
const MUNI_PA: Src = ["municipality", ITEMS.publicAssistance];
const PREF_PA: Src = ["prefecture", ITEMS.publicAssistance];
const JPS: Src = ["japan-pension-service", ITEMS.pension];
const MUTUAL_PENSION: Src = ["mutual-aid-association", ITEMS.pension];
const PRIVATE_SCHOOL: Src = ["private-school-mutual-aid", ITEMS.pension];
const HIS: Src = ["health-insurance-society", ITEMS.medicalInsurance];
const KYOKAI: Src = ["japan-health-insurance-association", ITEMS.medicalInsurance];
const MUTUAL_MED: Src = ["mutual-aid-association", ITEMS.medicalInsurance];
const NHI_UNION: Src = ["nhi-union", ITEMS.medicalInsurance];
const MUNI_NHI: Src = ["municipality", ITEMS.nhi];
const LATE: Src = ["late-elderly-medical-union", ITEMS.lateElderly];
const MUNI_CARE: Src = ["municipality", ITEMS.nursingCare];
const MUNI_DIS: Src = ["municipality", ITEMS.disability];
const PREF_DIS: Src = ["prefecture", ITEMS.disability];
const MUNI_CHILD: Src = ["municipality", ITEMS.childAllowance];
const PREF_REARING: Src = ["prefecture", ITEMS.childRearing];
const MUNI_REARING: Src = ["municipality", ITEMS.childRearing];
const PREF_SPECIAL: Src = ["prefecture", ITEMS.specialChild];
const LABOUR: Src = ["labour-bureau", ITEMS.employment];
const MUNI_HOUSING: Src = ["municipality", ITEMS.housing];
const PREF_HOUSING: Src = ["prefecture", ITEMS.housing];
const BOARD: Src = ["board-of-education", ITEMS.schoolAid];
const JASSO: Src = ["jasso", ITEMS.studentLoan];
const MHLW_WAR: Src = ["mhlw", ITEMS.warBereaved];
const ALL_MEDICAL: readonly Src[] = [HIS, KYOKAI, MUTUAL_MED, NHI_UNION, MUNI_NHI, LATE];
const ALL_PENSION: readonly Src[] = [JPS, MUTUAL_PENSION, PRIVATE_SCHOOL];

/** Procedure families: requester kind, the family's sub-procedures, and its sources. */
const FAMILIES: readonly {
  requester: InstitutionKind;
  family: string;
  steps: readonly string[];
  sources: readonly Src[];
}[] = [
  {
    requester: "municipality",
    family: "local-tax",
    steps: ["assessment", "correction", "reduction", "collection"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "nhi",
    steps: [
      "qualification",
      "premium-assessment",
      "premium-reduction",
      "high-cost-benefit",
      "childbirth-lump-sum",
    ],
    sources: [MUNI_TAX, ...ALL_MEDICAL, MUNI_PA, MUNI_RESIDENT],
  },
  {
    requester: "nhi-union",
    family: "nhi-union",
    steps: ["qualification", "premium-assessment", "high-cost-benefit"],
    sources: [MUNI_TAX, ...ALL_MEDICAL.filter((s) => s !== NHI_UNION), MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "nursing-care",
    steps: [
      "certification",
      "premium-stage",
      "burden-ratio",
      "high-cost-service",
      "facility-meal-subsidy",
      "premium-reduction",
    ],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_CARE, MUNI_PA, LATE, MUNI_RESIDENT],
  },
  {
    requester: "late-elderly-medical-union",
    family: "late-elderly",
    steps: ["qualification", "burden-ratio", "premium-assessment", "high-cost-benefit", "premium-reduction"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_NHI, MUNI_PA, MUNI_CARE, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "public-assistance",
    steps: [
      "application",
      "benefit-decision",
      "change",
      "income-survey",
      "medical-assistance",
      "termination",
    ],
    sources: [
      MUNI_TAX,
      ...ALL_PENSION,
      LABOUR,
      ...ALL_MEDICAL,
      MUNI_CARE,
      MUNI_DIS,
      MUNI_CHILD,
      MUNI_REARING,
      PREF_SPECIAL,
      BOARD,
    ],
  },
  {
    requester: "prefecture",
    family: "public-assistance-towns",
    steps: ["application", "benefit-decision", "change", "income-survey"],
    sources: [MUNI_TAX, ...ALL_PENSION, LABOUR, ...ALL_MEDICAL, MUNI_CARE, MUNI_DIS, MUNI_CHILD],
  },
  {
    requester: "municipality",
    family: "child-allowance",
    steps: ["recognition", "annual-status", "amount-change", "extinguishment"],
    sources: [MUNI_TAX, MUNI_RESIDENT, ["mutual-aid-association", ["pension/insured-status"]]],
  },
  {
    requester: "prefecture",
    family: "child-rearing-allowance-towns",
    steps: ["recognition", "annual-status", "amount-change", "suspension"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_RESIDENT, MUNI_PA],
  },
  {
    requester: "municipality",
    family: "child-rearing-allowance",
    steps: ["recognition", "annual-status", "amount-change", "suspension"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_RESIDENT, MUNI_PA],
  },
  {
    requester: "prefecture",
    family: "special-child-allowance",
    steps: ["recognition", "annual-status", "amount-change"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_DIS, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "disability-welfare",
    steps: [
      "service-benefit",
      "user-burden",
      "medical-support",
      "special-disability-allowance",
      "assistive-devices",
      "welfare-allowance",
    ],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_DIS, PREF_DIS, MUNI_PA, MUNI_CARE, MUNI_RESIDENT],
  },
  {
    requester: "prefecture",
    family: "disability-certificate",
    steps: ["physical-certificate", "mental-certificate", "medical-support-mental"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_DIS, MUNI_RESIDENT],
  },
  {
    requester: "prefecture",
    family: "intractable-disease-medical",
    steps: ["certification", "burden-cap", "renewal"],
    sources: [MUNI_TAX, ...ALL_MEDICAL, MUNI_PA, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "public-housing",
    steps: ["admission", "rent-assessment", "rent-reduction"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_DIS, MUNI_RESIDENT, ...ALL_PENSION],
  },
  {
    requester: "prefecture",
    family: "prefectural-housing",
    steps: ["admission", "rent-assessment"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_DIS, MUNI_RESIDENT, PREF_HOUSING],
  },
  {
    requester: "board-of-education",
    family: "school-aid",
    steps: ["school-expense-aid", "special-needs-education-aid"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_RESIDENT, MUNI_DIS],
  },
  {
    requester: "prefecture",
    family: "high-school-tuition",
    steps: ["tuition-support", "scholarship-benefit"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "childcare",
    steps: [
      "nursery-certification",
      "nursery-fee",
      "infant-medical-subsidy",
      "single-parent-medical-subsidy",
    ],
    sources: [MUNI_TAX, MUNI_PA, MUNI_CHILD, MUNI_REARING, ...ALL_MEDICAL, MUNI_RESIDENT],
  },
  {
    requester: "japan-pension-service",
    family: "national-pension",
    steps: [
      "premium-exemption",
      "student-deferral",
      "benefit-award",
      "survivor-benefit",
      "disability-benefit",
      "supplementary-benefit",
      "address-update",
    ],
    sources: [
      MUNI_TAX,
      MUNI_RESIDENT,
      MUNI_PA,
      MUNI_CHILD,
      MUNI_REARING,
      PREF_SPECIAL,
      LABOUR,
      MUTUAL_PENSION,
      PRIVATE_SCHOOL,
      JASSO,
    ],
  },
  {
    requester: "mutual-aid-association",
    family: "mutual-aid-pension",
    steps: ["benefit-award", "survivor-benefit", "dependant-check"],
    sources: [MUNI_TAX, MUNI_RESIDENT, JPS, PRIVATE_SCHOOL],
  },
  {
    requester: "private-school-mutual-aid",
    family: "private-school-pension",
    steps: ["benefit-award", "dependant-check"],
    sources: [MUNI_TAX, MUNI_RESIDENT, JPS, MUTUAL_PENSION],
  },
  {
    requester: "health-insurance-society",
    family: "employee-health-insurance",
    steps: [
      "dependant-qualification",
      "high-cost-benefit",
      "injury-sickness-allowance",
      "childbirth-lump-sum",
      "meal-cost-reduction",
    ],
    sources: [MUNI_TAX, ...ALL_PENSION, LABOUR, ...ALL_MEDICAL.filter((s) => s !== HIS), MUNI_RESIDENT],
  },
  {
    requester: "japan-health-insurance-association",
    family: "kyokai-health-insurance",
    steps: [
      "dependant-qualification",
      "high-cost-benefit",
      "injury-sickness-allowance",
      "childbirth-lump-sum",
    ],
    sources: [MUNI_TAX, ...ALL_PENSION, LABOUR, ...ALL_MEDICAL.filter((s) => s !== KYOKAI), MUNI_RESIDENT],
  },
  {
    requester: "mutual-aid-association",
    family: "mutual-aid-medical",
    steps: ["dependant-qualification", "high-cost-benefit", "injury-sickness-allowance"],
    sources: [
      MUNI_TAX,
      ...ALL_PENSION,
      LABOUR,
      ...ALL_MEDICAL.filter((s) => s !== MUTUAL_MED),
      MUNI_RESIDENT,
    ],
  },
  {
    requester: "labour-bureau",
    family: "employment-insurance",
    steps: [
      "basic-allowance",
      "childcare-leave-benefit",
      "elderly-continuation-benefit",
      "job-seeker-support",
    ],
    sources: [...ALL_PENSION, MUNI_TAX, MUNI_RESIDENT, MUNI_PA],
  },
  {
    requester: "jasso",
    family: "student-loan",
    steps: ["loan-selection", "benefit-scholarship", "repayment-deferral", "income-linked-repayment"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_RESIDENT],
  },
  {
    requester: "mhlw",
    family: "war-bereaved",
    steps: ["special-benefit", "pension-adjustment"],
    sources: [MUNI_TAX, ...ALL_PENSION, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "war-bereaved-local",
    steps: ["condolence-benefit"],
    sources: [MHLW_WAR, MUNI_RESIDENT],
  },
  {
    requester: "prefecture",
    family: "disaster-relief",
    steps: ["livelihood-reconstruction", "loan"],
    sources: [MUNI_TAX, MUNI_RESIDENT, MUNI_HOUSING],
  },
  {
    requester: "prefecture",
    family: "maternal-child-welfare",
    steps: ["loan", "midwifery-assistance"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_REARING, PREF_REARING, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "health-promotion",
    steps: ["vaccination-record", "health-checkup-fee-waiver"],
    sources: [MUNI_TAX, MUNI_PA, MUNI_RESIDENT],
  },
  {
    requester: "municipality",
    family: "pandemic-benefits",
    steps: ["household-benefit", "tax-exempt-household-benefit"],
    sources: [MUNI_TAX, MUNI_PA, PREF_PA, MUNI_RESIDENT],
  },
];

/** Builds the rows (one per family step), ids R001, R002, … in table order. */
export function buildWhitelistRows(): WhitelistRow[] {
  const rows: WhitelistRow[] = [];
  for (const f of FAMILIES) {
    for (const step of f.steps) {
      const providers = f.sources.map(([provider, items]) => ({ provider, items: [...items] }));
      rows.push({
        id: `R${String(rows.length + 1).padStart(3, "0")}`,
        requester: f.requester,
        procedure: `${f.family}/${step}`,
        providers,
      });
    }
  }
  return rows;
}
