package io.imagebuilder.imagebuild.source;

import io.imagebuilder.imagebuild.params.Credentials;
import io.imagebuilder.imagebuild.params.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How URLs are split into an address, credentials and a form that is safe to show. */
class RemoteUrlTest {

    @Test
    void httpsCredentialsMoveOutOfTheAddress() throws Exception {
        RemoteUrl url = RemoteUrl.parse("https://user:p%40ss+word@git.example.org:8443/team/repo.git", "f");

        assertThat(url.scheme()).isEqualTo("https");
        assertThat(url.address()).isEqualTo("https://git.example.org:8443/team/repo.git");
        assertThat(url.display()).isEqualTo("https://git.example.org:8443/team/repo.git");
        assertThat(url.userInfo().username()).isEqualTo("user");
        assertThat(url.userInfo().password().value()).isEqualTo("p@ss+word");
        assertThat(url.secrets()).contains("p%40ss+word", "p@ss+word");
    }

    @Test
    void aTokenAsUserNameIsASecretToo() throws Exception {
        RemoteUrl url = RemoteUrl.parse("https://ghp_token1234567890@github.com/team/repo.git", "f");

        assertThat(url.address()).isEqualTo("https://github.com/team/repo.git");
        assertThat(url.userInfo().username()).isEqualTo("ghp_token1234567890");
        assertThat(url.secrets()).contains("ghp_token1234567890");
    }

    @Test
    void explicitCredentialsWinOverThoseInTheUrl() throws Exception {
        RemoteUrl url = RemoteUrl.parse("https://a:b@host/repo", "f");
        Credentials explicit = new Credentials("c", Secret.of("d"));

        assertThat(url.credentials(explicit)).isSameAs(explicit);
        assertThat(url.credentials(Credentials.NONE).username()).isEqualTo("a");
    }

    @Test
    void sshKeepsItsLoginButNotItsPassword() throws Exception {
        RemoteUrl url = RemoteUrl.parse("ssh://git:hunter22@host:2222/srv/repo.git", "f");

        assertThat(url.ssh()).isTrue();
        assertThat(url.address()).isEqualTo("ssh://git@host:2222/srv/repo.git");
        assertThat(url.display()).isEqualTo("ssh://git@host:2222/srv/repo.git");
        assertThat(url.userInfo().password().value()).isEqualTo("hunter22");
        assertThat(url.secrets()).doesNotContain("git");
    }

    @Test
    void sshLoginAloneIsNoSecret() throws Exception {
        RemoteUrl url = RemoteUrl.parse("ssh://root@127.0.0.1:2221/srv/repo.git", "f");

        assertThat(url.address()).isEqualTo("ssh://root@127.0.0.1:2221/srv/repo.git");
        assertThat(url.userInfo().present()).isFalse();
        assertThat(url.secrets()).isEmpty();
    }

    @Test
    void scpLikeAddresses() throws Exception {
        RemoteUrl url = RemoteUrl.parse("git@github.com:team/repo.git", "f");

        assertThat(url.scpLike()).isTrue();
        assertThat(url.ssh()).isTrue();
        assertThat(url.address()).isEqualTo("git@github.com:team/repo.git");
        assertThat(RemoteUrl.parse("host.example:repo.git", "f").scpLike()).isTrue();
    }

    @Test
    void fileUrls() throws Exception {
        RemoteUrl url = RemoteUrl.parse("file:///srv/git/repo.git", "f");

        assertThat(url.scheme()).isEqualTo("file");
        assertThat(url.address()).isEqualTo("file:///srv/git/repo.git");
    }

    @Test
    void queryStringsAreNotDisplayed() throws Exception {
        RemoteUrl url = RemoteUrl.parse("https://host/file?X-Signature=secret123#part", "f");

        assertThat(url.address()).isEqualTo("https://host/file?X-Signature=secret123#part");
        assertThat(url.display()).isEqualTo("https://host/file?…");
    }

    @Test
    void schemeIsCaseInsensitive() throws Exception {
        assertThat(RemoteUrl.parse("HTTPS://host/x", "f").scheme()).isEqualTo("https");
    }

    @Test
    void unsupportedSchemeNamesWhatIsAccepted() {
        assertThatThrownBy(() -> RemoteUrl.parse("ftp://u:secret1234@host/x", "tar.url")
                .requireScheme(RemoteUrl.HTTP_SCHEMES, false, "tar.url", "http, https"))
                .isInstanceOf(SourceException.class)
                .hasMessage("unsupported URL scheme 'ftp' in tar.url (ftp://host/x); accepted: http, https");
    }

    @Test
    void scpLikeIsRefusedWhereOnlyHttpIsAccepted() {
        assertThatThrownBy(() -> RemoteUrl.parse("git@host:x", "dockerfile.url")
                .requireScheme(RemoteUrl.HTTP_SCHEMES, false, "dockerfile.url", "http, https"))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("unsupported scp-like address in dockerfile.url");
    }

    @Test
    void notAUrlAndNoHost() throws Exception {
        RemoteUrl local = RemoteUrl.parse("/srv/repo", "git_repo.url");
        assertThat(local.scheme()).isEqualTo("file");
        assertThat(local.address()).isEqualTo("file:///srv/repo");
        assertThatThrownBy(() -> RemoteUrl.parse("srv/repo", "git_repo.url"))
                .isInstanceOf(SourceException.class)
                .hasMessage("git_repo.url 'srv/repo' is not a URL (it has no scheme)");
        assertThatThrownBy(() -> RemoteUrl.parse("https://user:pw12345@/x", "git_repo.url"))
                .isInstanceOf(SourceException.class)
                .hasMessage("git_repo.url 'https:///x' has no host");
        assertThatThrownBy(() -> RemoteUrl.parse(" ", "git_repo.url"))
                .isInstanceOf(SourceException.class)
                .hasMessage("git_repo.url is empty");
    }

    @Test
    void redactionStripsUserInfoAndSecrets() throws Exception {
        RemoteUrl url = RemoteUrl.parse("https://alice:pa55word99@host/repo", "f");
        Redaction redaction = Redaction.of(url, new Credentials("bob", Secret.of("explicit-secret")));

        assertThat(redaction.apply("failed https://alice:pa55word99@host/repo with explicit-secret and pa55word99"))
                .isEqualTo("failed https://host/repo with **** and ****");
        assertThat(Redaction.stripUserInfo("ssh://git:pw@host/x and http://tok@host/y"))
                .isEqualTo("ssh://git@host/x and http://host/y");
    }
}
