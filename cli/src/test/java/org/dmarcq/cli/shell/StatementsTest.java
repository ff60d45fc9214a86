package org.dmarcq.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatementsTest {
    @Test
    void statementsEndAtSemicolonsOutsideStringsNamesAndComments() {
        List<Statements.Input> inputs = Statements.script("""
                SELECT 'a;b', "x;y" FROM t; -- a comment; with a semicolon
                /* block; comment */ SELECT 2
                  ;
                .mode csv
                SELECT 'it''s';
                SELECT 4""");
        assertThat(inputs).containsExactly(
                new Statements.Input("SELECT 'a;b', \"x;y\" FROM t", 1),
                new Statements.Input("-- a comment; with a semicolon\n/* block; comment */ SELECT 2", 2),
                new Statements.Input(".mode csv", 4),
                new Statements.Input("SELECT 'it''s'", 5),
                new Statements.Input("SELECT 4", 6));
    }

    @Test
    void onlyCommentsAndBlanksAreNoStatement() {
        assertThat(Statements.script("  -- nothing\n/* at all */ ;\n\n")).isEmpty();
    }

    @Test
    void aDotOnlyStartsACommandBetweenStatements() {
        assertThat(Statements.script("SELECT 1\n.5 AS x;")).containsExactly(new Statements.Input("SELECT 1\n.5 AS x", 1));
    }

    @Test
    void typedTextIsCompleteAtItsSemicolon() {
        assertThat(Statements.isComplete("SELECT 1")).isFalse();
        assertThat(Statements.isComplete("SELECT ';'")).isFalse();
        assertThat(Statements.isComplete("SELECT 1; -- done")).isTrue();
        assertThat(Statements.isComplete("SELECT 1;\nSELECT")).isFalse();
        assertThat(Statements.isComplete(".tables")).isTrue();
        assertThat(Statements.isComplete("")).isTrue();
    }
}
