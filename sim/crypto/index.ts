/**
 * sim/crypto — real cryptography on the worker pool, batched (DESIGN.md §4, §6): key generation,
 * signing, verification and JPKI certificate issuance as pool tasks; an on-disk key cache (keys for
 * the simulation only); personalisation of the crypto sample of cards; and the end-to-end card
 * authentication (APDUs + certificate, signature and CRL checks) that the benchmarks and the
 * authentication load model use.
 * @module
 */
export {
  HASH_OF,
  KEY_KINDS,
  generateKeyPairDer,
  importPrivateKey,
  importPublicKey,
  kindOfKey,
  signWith,
  spkiOf,
  verifyWith,
} from "./algorithms.js";
export type { KeyKind, KeyPairDer } from "./algorithms.js";
export { CryptoTaskError, KeyCacheError } from "./errors.js";
export {
  CryptoPool,
  DEFAULT_BATCH,
  batchRanges,
  generateKeyPairs,
  issueCertificates,
  signMessages,
  verifyDigests,
  verifySignatures,
  withCryptoPool,
} from "./pool.js";
export type { BatchOptions, CaMaterial, CryptoPoolOptions } from "./pool.js";
export {
  asBuffer,
  cryptoTaskHandler,
  handleCryptoTask,
  packBytes,
  packU32,
  unpackBytes,
  unpackU32,
} from "./tasks.js";
export {
  DIGEST_BYTES,
  RSA_VERIFY_CHOICES,
  defaultAddonPath,
  rsaDigestVerifier,
  verifyDigestList,
  verifyRsaDigest,
} from "./native-rsa.js";
export type {
  RsaDigestVerifier,
  RsaVerifierOptions,
  RsaVerifyBackend,
  RsaVerifyChoice,
} from "./native-rsa.js";
export type {
  ByteList,
  CryptoResult,
  CryptoWorkerEnv,
  CryptoTask,
  IssueItem,
  IssueResult,
  IssueTask,
  KeygenResult,
  KeygenTask,
  PingTask,
  ResultOf,
  SignResult,
  SignTask,
  VerifyResult,
  VerifyTask,
} from "./tasks.js";
export { KeyCache, decodeKeyBatch, defaultKeyCacheDir, encodeKeyBatch } from "./key-cache.js";
export type { GenerateOptions, KeyCacheOptions, TakeResult } from "./key-cache.js";
export {
  DEFAULT_ISSUED_AT,
  SAMPLE_PINS,
  cardFacts,
  personaliseCards,
  sampleCardPersonalisation,
} from "./personalise.js";
export type {
  PersonaliseOptions,
  PersonaliseStats,
  PersonalisedSample,
  SampleCa,
  SampleCard,
  SampleCas,
} from "./personalise.js";
export {
  AUTH_OUTCOMES,
  RelyingParty,
  buildSampleCrl,
  authenticate,
  cardAuthenticate,
  runAuthenticationBatch,
} from "./card-auth.js";
export type {
  AuthOutcome,
  AuthenticateResult,
  AuthenticateTask,
  CardAnswer,
  SampleCrlOptions,
} from "./card-auth.js";
export { nobleKeyPair, noblePublicKey, nobleSign, nobleVerify } from "./noble.js";
export type { NobleKeyPair } from "./noble.js";
