// The one vocabulary of S3 tree contextValues; package.json menus match these with `viewItem`.
export const S3_CONTEXT = {
  bucket: 'ferry:s3:bucket',
  /** A bucket or prefix whose listing is narrowed by a filter (offers "Clear Filter"). */
  bucketFiltered: 'ferry:s3:bucket:filtered',
  prefix: 'ferry:s3:prefix',
  prefixFiltered: 'ferry:s3:prefix:filtered',
  object: 'ferry:s3:object',
} as const;
