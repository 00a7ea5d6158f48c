package io.lockstep.cli;

import io.lockstep.cli.client.Printable;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain aligned text table for the read commands; every cell is server text, so it is printed escaped. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(header);
    }

    void row(String... cells) {
        String[] safe = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            safe[i] = cells[i] == null ? "" : Printable.text(cells[i]);
        }
        rows.add(safe);
    }

    void print(PrintStream out) {
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(r[i]).append(i == r.length - 1 ? "" : " ".repeat(w[i] - r[i].length() + 2));
            }
            out.println(Printable.text(b.toString().stripTrailing()));
        }
        out.flush();
    }
}
