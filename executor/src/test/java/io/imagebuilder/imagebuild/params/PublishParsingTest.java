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
                .containsExactly("bp.yaml:2:19: target.publish: expected registry or local, got \"s4\"");
        assertThat(problems("source: {image: busybox}\ntarget: {publish: local, images: [{image: app}]}\n"))
                .containsExactly("bp.yaml:2:9: target.publish: an image source is edited in its registry, with no "
                        + "build host to keep it on; expected registry");
    }
}
