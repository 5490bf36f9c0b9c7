// What the stand-in cluster's Python needs to reach the sandbox's S3 from user code (train.py,
// notebooks): boto3 reads these variables itself, except the endpoint in boto3 older than 1.28,
// which the demo code passes explicitly. sandbox/services.ts hands them to the Databricks stand-in
// as the environment of its Python processes only (never to the editor, whose credentials come
// from the sandbox's own AWS profile).
import type { S3StandIn } from '../s3/standIn';

export function clusterPythonEnv(services: {
  s3: Pick<S3StandIn, 'endpoint' | 'accessKeyId' | 'secretAccessKey'>;
  settings: Record<string, unknown>;
}): Record<string, string> {
  const region = typeof services.settings['ferry.aws.region'] === 'string' ? services.settings['ferry.aws.region'] : 'us-east-1';
  return {
    AWS_ENDPOINT_URL: services.s3.endpoint,
    AWS_ENDPOINT_URL_S3: services.s3.endpoint,
    AWS_ACCESS_KEY_ID: services.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: services.s3.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}
