package io.imagebuilder.imagebuild.params;

/**
 * Where {@code publish: s3} uploads: a bucket and a key prefix, at {@code endpoint} (null: AWS itself) in
 * {@code region}, with the credentials of an AWS shared credentials file ({@code credentialsFile}, on the
 * executor's machine) or, when that is null, of the executor's environment (AWS_ACCESS_KEY_ID and the like).
 */
public record S3Spec(String bucket, String prefix, String endpoint, String region, String credentialsFile) {

    public static final String DEFAULT_REGION = "us-east-1";
}
