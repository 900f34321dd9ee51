/**
 * sim/card — a simulated My Number IC card speaking the real JPKI AP and 券面事項入力補助AP APDUs
 * (FACTS.md §1.5, §2; DESIGN.md §5 card/), its card-side latency model, and encrypted save/load.
 * @module
 */
export { MyNumberCard } from "./card.js";
export type { CardPersonalisation, CardRuntimeState } from "./card.js";
export { saveCard, loadCard, readCard } from "./card-store.js";
export type { ReadCard } from "./card-store.js";
export { CardFile, STATE_DIR_NAME } from "./card-file.js";
export type { CardFileOptions } from "./card-file.js";
export {
  CardInputError,
  CardFileError,
  CardPassphraseError,
  CardBusyError,
  CardRollbackError,
  CardStoreError,
} from "./errors.js";
export { parseCommand, encodeCommand, buildResponse, parseResponse } from "./apdu.js";
export type { CommandApdu, CommandFields, ParseResult, ResponseApdu } from "./apdu.js";
export { SW, swTriesLeft, swWrongLe, triesLeftOf, swToString } from "./status-words.js";
export { toHex, fromHex } from "./hex.js";
export { JPKI_AID, TEXT_AID, SURFACE_AID, JPKI_EF, TEXT_EF, SURFACE_EF } from "./ids.js";
export { DIGEST_INFO_PREFIX, DIGEST_LENGTH, digestInfoOf, digestInfoFor } from "./digest-info.js";
export type { DigestAlgorithm } from "./digest-info.js";
export {
  AUTH_PIN_POLICY,
  SIGN_PIN_POLICY,
  TEXT_PIN_POLICY,
  PIN_POLICIES,
  CODE_KINDS,
  CODE_MAX_TRIES,
  CODE_POLICIES,
  pinFormatProblem,
} from "./pin.js";
export type { CodeKind, PinKind, PinPolicy } from "./pin.js";
export { codeB, eraDate } from "./card-face.js";
export type { CardFaceData } from "./card-face.js";
export { CERT_AVAILABILITY_BOTH, CERT_AVAILABILITY_AUTH_ONLY } from "./jpki-ap.js";
export {
  encodeMyNumberEf,
  encodeBasicFactsEf,
  decodeMyNumberEf,
  decodeBasicFactsEf,
} from "./text-records.js";
export type { BasicFacts } from "./text-records.js";
export { buildTokenInfo, TOKEN_INFO_LENGTH, CARD_TOKEN_LABEL } from "./token-info.js";
export {
  selectAidCommand,
  selectEfCommand,
  readBinaryCommand,
  verifyCommand,
  changeReferenceDataCommand,
  computeSignatureCommand,
} from "./commands.js";
export {
  DEFAULT_LATENCY,
  etuMicros,
  transferMicros,
  exchangeTiming,
  transcriptTiming,
} from "./latency-model.js";
export type {
  BitRate,
  ChipComputeMs,
  LatencyParams,
  ExchangeKind,
  ExchangeTiming,
  TranscriptTiming,
} from "./latency-model.js";
export { DEFAULT_SCRYPT, SealingKey } from "./sealing.js";
export type { ScryptParams, SealedEnvelope } from "./sealing.js";
