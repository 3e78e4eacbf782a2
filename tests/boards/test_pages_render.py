"""Every page type renders for an anonymous visitor."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_page_lists_boards_and_next_meetings(client, board):
    response = client.get("/")
    assert response.status_code == 200
    assert board.title in response.content.decode()


def test_board_index_lists_board_with_partners(client, partnered_board):
    response = client.get("/boards/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "One Barnet Partnership Board" in html
    assert "NHS Barnet" in html
