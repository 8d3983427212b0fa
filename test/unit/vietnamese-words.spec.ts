import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spokenText, spokenTicket, vietnameseNumber } from '../../src/queue/speech/vietnamese-words';

/** How a Vietnamese announcer reads each number (the "lẻ" variant). */
const TABLE: Array<[number, string]> = [
  [0, 'không'],
  [1, 'một'],
  [4, 'bốn'],
  [5, 'năm'],
  [9, 'chín'],
  [10, 'mười'],
  [11, 'mười một'],
  [14, 'mười bốn'],
  [15, 'mười lăm'],
  [19, 'mười chín'],
  [20, 'hai mươi'],
  [21, 'hai mươi mốt'],
  [24, 'hai mươi tư'],
  [25, 'hai mươi lăm'],
  [30, 'ba mươi'],
  [35, 'ba mươi lăm'],
  [41, 'bốn mươi mốt'],
  [44, 'bốn mươi tư'],
  [50, 'năm mươi'],
  [55, 'năm mươi lăm'],
  [71, 'bảy mươi mốt'],
  [99, 'chín mươi chín'],
  [100, 'một trăm'],
  [101, 'một trăm lẻ một'],
  [104, 'một trăm lẻ bốn'],
  [105, 'một trăm lẻ năm'],
  [110, 'một trăm mười'],
  [111, 'một trăm mười một'],
  [115, 'một trăm mười lăm'],
  [121, 'một trăm hai mươi mốt'],
  [125, 'một trăm hai mươi lăm'],
  [200, 'hai trăm'],
  [205, 'hai trăm lẻ năm'],
  [250, 'hai trăm năm mươi'],
  [305, 'ba trăm lẻ năm'],
  [999, 'chín trăm chín mươi chín'],
  [1000, 'một nghìn'],
  [1001, 'một nghìn không trăm lẻ một'],
  [1005, 'một nghìn không trăm lẻ năm'],
  [1010, 'một nghìn không trăm mười'],
  [1015, 'một nghìn không trăm mười lăm'],
  [1100, 'một nghìn một trăm'],
  [1234, 'một nghìn hai trăm ba mươi tư'],
  [2021, 'hai nghìn không trăm hai mươi mốt'],
  [10000, 'mười nghìn'],
  [15500, 'mười lăm nghìn năm trăm'],
  [21000, 'hai mươi mốt nghìn'],
  [105000, 'một trăm lẻ năm nghìn'],
  [100005, 'một trăm nghìn không trăm lẻ năm'],
  [1000000, 'một triệu'],
];

describe('Vietnamese numbers read aloud', () => {
  it(`reads each of ${TABLE.length} numbers as an announcer would`, () => {
    assert.ok(TABLE.length >= 40);
    for (const [n, words] of TABLE) assert.equal(vietnameseNumber(n), words, String(n));
  });

  it('reads a zero tens digit as "linh" when configured so', () => {
    assert.equal(vietnameseNumber(104, { zeroTens: 'linh' }), 'một trăm linh bốn');
    assert.equal(vietnameseNumber(1005, { zeroTens: 'linh' }), 'một nghìn không trăm linh năm');
    assert.equal(vietnameseNumber(115, { zeroTens: 'linh' }), 'một trăm mười lăm', 'only a zero tens digit changes');
  });

  it('refuses what it cannot read rather than passing digits on', () => {
    for (const bad of [-1, 1.5, Number.NaN, 1e12]) assert.throws(() => vietnameseNumber(bad), RangeError, String(bad));
  });

  it('spells a ticket’s prefix as people say the letter, then reads the number', () => {
    assert.equal(spokenTicket('A012'), 'a mười hai');
    assert.equal(spokenTicket('B105'), 'bê một trăm lẻ năm');
    assert.equal(spokenTicket('C7'), 'xê bảy');
    assert.equal(spokenTicket('Đ021'), 'đê hai mươi mốt');
    assert.equal(spokenTicket('105'), 'một trăm lẻ năm');
  });

  it('leaves no digit in a sentence handed to the speech engine', () => {
    const text = spokenText('Mời khách hàng số 105 đến quầy 3, phòng 204');
    assert.equal(text, 'Mời khách hàng số một trăm lẻ năm đến quầy ba, phòng hai trăm lẻ bốn');
    assert.doesNotMatch(text, /\d/);
  });
});
