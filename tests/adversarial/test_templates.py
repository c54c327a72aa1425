"""Attack 2: a --template-dir must not run code or read files outside itself."""

from cli_helpers import assert_one_line_error, run


def test_template_cannot_run_a_shell_command(run_copy, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    proof = tmp_path / "pwned"
    (templates / "report.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        f'{{{{ cycler.__init__.__globals__.os.popen("touch {proof}").read() }}}}'
        "{% endblock %}",
        encoding="utf-8",
    )
    proc = run(run_copy, "report", "history.json", "--template-dir", templates, "-o", "evil.html", check=False)
    assert_one_line_error(proc, "template", "unsafe")
    assert not proof.exists()
    assert not (run_copy / "evil.html").exists()


def test_template_symlink_out_of_the_folder_is_not_embedded(run_copy, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET-LINE\n", encoding="utf-8")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "style.css").symlink_to(secret)
    proc = run(run_copy, "report", "history.json", "--template-dir", templates, "-o", "evil.html", check=False)
    assert_one_line_error(proc, "style.css", "outside")
    assert not (run_copy / "evil.html").exists()


def test_template_symlink_inside_the_folder_still_works(run_copy, tmp_path):
    templates = tmp_path / "templates"
    (templates / "real").mkdir(parents=True)
    (templates / "real" / "style.css").write_text("body { color: #123456; }", encoding="utf-8")
    (templates / "style.css").symlink_to(templates / "real" / "style.css")
    run(run_copy, "report", "history.json", "--template-dir", templates, "-o", "mine.html")
    assert "#123456" in (run_copy / "mine.html").read_text(encoding="utf-8")
