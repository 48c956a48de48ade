package io.imagebuilder.imagebuild.params;

import org.junit.jupiter.api.Test;

import static io.imagebuilder.imagebuild.params.Parsing.problems;
import static io.imagebuilder.imagebuild.params.Parsing.valid;
import static org.assertj.core.api.Assertions.assertThat;

class PublishParsingTest {

    @Test
    void keepsImagesLocallyOrPushesThem() {
        Target local = valid("""
                source: {path: /srv/app}
                target: {publish: local, images: [{image: app}]}
                """).target();
        assertThat(local.publish()).isEqualTo(Target.Publish.LOCAL);
        assertThat(local.registry()).isNull();
        assertThat(valid("source: {path: /srv/app}\ntarget: {images: [{image: app}]}\n").target().publish())
                .isEqualTo(Target.Publish.REGISTRY);
        assertThat(BuildParamsParser.toPlain(valid("""
                source: {path: /srv/app}
                target: {publish: local, images: [{image: app}]}
                """)).toString()).contains("publish=local");
    }

    @Test
    void refusesOtherPlacesAndAnImageSourceKeptLocally() {
        assertThat(problems("source: {path: /srv/app}\ntarget: {publish: s4, images: [{image: app}]}\n"))
                .containsExactly("bp.yaml:2:19: target.publish: expected registry, local or s3, got \"s4\"");
        assertThat(problems("source: {image: busybox}\ntarget: {publish: local, images: [{image: app}]}\n"))
                .containsExactly("bp.yaml:2:9: target.publish: an image source is edited in its registry, with no "
                        + "build host to keep it on or export it from; expected registry");
    }

    @Test
    void readsTheS3TargetAndRefusesItElsewhere() {
        Target s3 = valid("""
                source: {path: /srv/app}
                target:
                  publish: s3
                  s3: {bucket: boot-images, prefix: boot/, endpoint: "http://127.0.0.1:9000", credentials_file: c}
                  images: [{image: app}]
                """).target();
        assertThat(s3.s3()).isEqualTo(new S3Spec("boot-images", "boot/", "http://127.0.0.1:9000", "us-east-1", "c"));
        assertThat(s3.needsNoRegistry()).isTrue();
        assertThat(problems("source: {path: /srv/app}\ntarget: {publish: s3, images: [{image: app}]}\n"))
                .containsExactly("bp.yaml:2:9: target.s3: missing; publish: s3 needs the bucket to upload to");
        assertThat(problems("source: {path: /srv/app}\ntarget: {s3: {bucket: abc}, images: [{image: app}]}\n"))
                .containsExactly("bp.yaml:2:10: target.s3: only allowed with publish: s3");
        assertThat(problems("""
                source: {path: /srv/app}
                target: {publish: s3, s3: {bucket: Bad_Bucket, prefix: /abs}, images: [{image: app}]}
                """)).containsExactly(
                "bp.yaml:2:36: target.s3.bucket: \"Bad_Bucket\" is not a bucket name; expected 3 to 63 lower-case "
                        + "letters, digits, '.' and '-'",
                "bp.yaml:2:56: target.s3.prefix: expected a key prefix such as \"boot/\", not starting with / and "
                        + "without control characters");
    }
}
