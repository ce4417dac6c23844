// Azurite's development account. The key is public and identical on every machine (it is documented by
// Azure), so it is a constant, not a secret.
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
export const AZURITE_DEFAULT_BLOB_ENDPOINT = `http://127.0.0.1:10000/${AZURITE_ACCOUNT}`;

export function emulatorConnectionString(blobEndpoint: string): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`;
}
