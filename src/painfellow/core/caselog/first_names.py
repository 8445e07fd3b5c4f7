"""A bundled list of common US first names for the name heuristic of :mod:`.phi`.

Compiled by hand from the names that rank high in US Social Security Administration
baby-name and census first-name tallies across birth decades 1930-2010 (patients and
relatives of any age). Names that are also everyday English or clinical words in a note
("Will", "May", "June", "April", "Hope", "Faith", "Joy", "Gene", "Miles", "Iris", ...)
are left out on purpose: a capitalised "Will Return" or "Gene Therapy" must not be taken
for a person. That trades recall for precision; the honorific and "patient <Name>" rules
of :mod:`.phi` still catch such names in those contexts.
"""

from __future__ import annotations

from typing import Final

_NAMES = """
Aaron Abigail Adam Adrian Adriana Aiden Alan Albert Alberto Alejandro Alex Alexander
Alexandra Alexis Alfred Alice Alicia Alison Allison Alma Alvin Alyssa Amanda Amelia Amy
Ana Andre Andrea Andrew Andy Angela Angelica Angie Anita Ann Anna Anne Annette Annie
Anthony Antonio Arlene Arnold Arthur Ashley Audrey Austin Ava Barbara Barry Beatrice
Becky Ben Benjamin Bernard Bernice Beth Bethany Betty Beverly Bianca Bobby Bonnie Brad
Bradley Brandon Brenda Brett Brian Brianna Bridget Brittany Bruce Bryan Caleb Calvin
Cameron Camila Carl Carla Carlos Carmen Carol Caroline Carolyn Carrie Casey Cassandra
Catherine Cathy Cecil Cecilia Chad Charles Charlie Charlotte Chelsea Cheryl Chloe Chris
Christian Christina Christine Christopher Cindy Claire Clara Clarence Claude Claudia
Clifford Clinton Cody Colleen Connie Connor Constance Corey Courtney Craig Crystal
Curtis Cynthia Dakota Dallas Dan Dana Daniel Danielle Danny Darlene Darrell Darren
David Dean Debbie Deborah Debra Delores Denise Dennis Derek Derrick Diana Diane Dianne
Dolores Dominic Don Donald Donna Doris Dorothy Douglas Duane Dustin Dwayne Dylan Earl
Eddie Edgar Edith Edna Eduardo Edward Edwin Eileen Elaine Eleanor Elena Eli Elijah
Elizabeth Ella Ellen Elmer Eloise Elsie Emily Emma Eric Erica Erik Erin Ernest Esther
Ethan Ethel Eugene Eva Evan Evelyn Felicia Fernando Florence Floyd Frances Francis
Francisco Franklin Fred Frederick Gabriel Gabriela Gail Gary Genevieve George Georgia
Gerald Geraldine Gilbert Gina Gladys Glenda Gloria Gordon Grace Greg Gregory Gwendolyn
Hailey Hannah Harold Harry Harvey Hazel Hector Heidi Helen Henry Herbert Herman Howard
Hugh Ian Irene Isaac Isabel Isabella Isaiah Jack Jackie Jackson Jacob Jacqueline Jaime
Jake James Jamie Jan Jane Janet Janice Jared Jasmine Jason Javier Jay Jean Jeanette
Jeanne Jeff Jeffery Jeffrey Jenna Jennifer Jenny Jeremiah Jeremy Jerome Jerry Jesse
Jessica Jesus Jill Jim Jimmy Jo Joan Joann Joanne Jodi Joe Joel Johanna John Johnny
Jon Jonathan Jordan Jorge Jose Joseph Josephine Joshua Josiah Joyce Juan Juanita Judith
Judy Julia Julian Julie Justin Kaitlyn Karen Karl Kate Katherine Kathleen Kathryn Kathy
Katie Katrina Kay Kayla Keith Kelly Ken Kendra Kenneth Kevin Kim Kimberly Kristen
Kristin Kristina Kyle Landon Larry Laura Lauren Laurie Lawrence Leah Lee Leo Leon
Leonard Leroy Leslie Lester Lewis Liam Lillian Linda Lindsay Lindsey Lisa Lloyd Logan
Lois Lonnie Loretta Lori Lorraine Louis Louise Lucas Lucille Lucy Luis Luke Lydia Lynn
Mabel Mackenzie Madeline Madison Manuel Marcia Marco Marcus Margaret Margarita Maria
Marian Marie Marilyn Mario Marion Marjorie Mark Marlene Marsha Marshall Martha Martin
Marvin Mary Mason Matthew Maureen Maurice Maxine Megan Melanie Melinda Melissa Melvin
Mia Micheal Michael Michele Michelle Miguel Mike Mildred Milton Mindy Miranda Miriam
Mitchell Molly Monica Morgan Muriel Myrtle Nancy Naomi Natalie Natasha Nathan Nathaniel
Neil Nicholas Nicole Nina Noah Nora Norma Norman Olivia Oscar Pamela Patricia Patrick
Patsy Paul Paula Pauline Pedro Peggy Peter Philip Phillip Phyllis Priscilla Rachel
Ralph Ramon Randall Randy Raul Raymond Rebecca Regina Renee Rhonda Ricardo Richard Rick
Ricky Rita Robert Roberta Roberto Robin Rodney Roger Roland Ron Ronald Ronnie Rosa
Rosemary Ross Roy Ruby Russell Ruth Ryan Sally Samantha Samuel Sandra Sara Sarah Savannah
Scott Sean Sebastian Sergio Seth Shane Shannon Sharon Shawn Sheila Shelby Shelly Sherri
Sherry Shirley Sofia Sophia Stacey Stacy Stanley Stella Stephanie Stephen Steve Steven
Stuart Susan Suzanne Sydney Sylvia Tamara Tammy Tanya Tara Taylor Teresa Terrence Terri
Terry Thelma Theodore Theresa Thomas Tiffany Tim Timothy Tina Todd Tom Tommy Toni Tony
Tracy Travis Troy Tyler Valerie Vanessa Vera Vernon Veronica Vicki Vickie Victor
Victoria Vincent Virginia Vivian Walter Wanda Warren Wayne Wendy Wesley Willard William
Willie Wilma Yolanda Yvonne Zachary Zoe
"""

#: Common US first names, title case.
FIRST_NAMES: Final[frozenset[str]] = frozenset(_NAMES.split())
