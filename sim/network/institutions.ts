/**
 * The directory of institutions on the information provision network (FACTS §5.5: municipalities,
 * prefectures, the Japan Pension Service, health insurers, ministries, …): id → kind, O(1). The
 * whitelist is written over kinds (whitelist-table.ts); the directory says which kind an id is.
 * @module
 */
import { INSTITUTION_KINDS, type InstitutionKind } from "./whitelist-table.js";
import { UnknownInstitutionError } from "./network-errors.js";

/** One institution. */
export interface Institution {
  readonly id: string;
  readonly kind: InstitutionKind;
}

const KINDS = new Set<string>(INSTITUTION_KINDS);
const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Institutions by id. */
export class InstitutionDirectory {
  readonly #byId = new Map<string, Institution>();

  constructor(institutions: Iterable<Institution> = []) {
    for (const i of institutions) this.add(i);
  }

  /** Adds one institution; refuses malformed ids, unknown kinds and duplicates. */
  add(inst: Institution): void {
    if (!ID.test(inst.id)) {
      throw new UnknownInstitutionError(
        `institution id: expected 1-64 of [a-z0-9-], got ${JSON.stringify(inst.id)}`,
        inst.id,
      );
    }
    if (!KINDS.has(inst.kind)) {
      throw new UnknownInstitutionError(
        `institution ${inst.id} kind: expected one of ${INSTITUTION_KINDS.join(", ")}`,
        inst.id,
      );
    }
    if (this.#byId.has(inst.id))
      throw new UnknownInstitutionError(`institution id: duplicate "${inst.id}"`, inst.id);
    this.#byId.set(inst.id, { id: inst.id, kind: inst.kind });
  }

  /** The institution, or undefined. */
  get(id: string): Institution | undefined {
    return this.#byId.get(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  values(): IterableIterator<Institution> {
    return this.#byId.values();
  }
}

/**
 * A national directory at realistic counts: 1,741 municipalities, 47 prefectures and late-elderly
 * unions, one Japan Pension Service, one 協会けんぽ, `healthInsuranceSocieties` 健保組合 (≈1,380 in
 * 2023, an assumption of scale), 85 mutual-aid associations, 160 NHI unions, 47 labour bureaus,
 * one JASSO, one MHLW, one private-school mutual aid, and a board of education per municipality.
 */
export function nationalDirectory(healthInsuranceSocieties = 1380): InstitutionDirectory {
  const dir = new InstitutionDirectory();
  const many = (kind: InstitutionKind, n: number) => {
    for (let i = 1; i <= n; i++) dir.add({ id: `${kind}-${String(i).padStart(4, "0")}`, kind });
  };
  many("municipality", 1741);
  many("board-of-education", 1741);
  many("prefecture", 47);
  many("late-elderly-medical-union", 47);
  many("labour-bureau", 47);
  many("health-insurance-society", healthInsuranceSocieties);
  many("mutual-aid-association", 85);
  many("nhi-union", 160);
  for (const kind of [
    "japan-pension-service",
    "japan-health-insurance-association",
    "jasso",
    "mhlw",
    "private-school-mutual-aid",
  ] as const) {
    dir.add({ id: kind, kind });
  }
  return dir;
}
