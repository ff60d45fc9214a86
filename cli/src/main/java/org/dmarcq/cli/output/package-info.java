/** Printing rows for people (aligned tables) and programs (CSV, JSON). */
package org.dmarcq.cli.output;
